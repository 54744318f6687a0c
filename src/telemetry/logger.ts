import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * JSON logs. Call sites log ids, names, numbers and error codes only — never bodies, prompts or keys;
 * `redact` is a second fence for headers that might slip into an object.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'moat' },
    redact: {
      paths: ['headers.authorization', 'headers["x-api-key"]', '*.headers.authorization', '*.headers["x-api-key"]', 'apiKey', '*.apiKey'],
      censor: '[redacted]',
    },
  };
  // Asynchronous stdout keeps log writes off the request path; shutdown flushes it.
  return pino(options, destination ?? pino.destination({ dest: 1, sync: false }));
}
