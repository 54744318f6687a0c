import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/** How long a log line may wait in the buffer before it is written. */
const FLUSH_INTERVAL_MS = 250;

/**
 * JSON logs. Call sites log ids, names, numbers and error codes only — never bodies, prompts or keys
 * (test/operations.e2e.test.ts checks). stdout is written in batches of 12 KiB (sonic-boom writes at most 16 KiB at once), or at least every
 * 250 ms: one write per request line cost more CPU than the rest of the request (docs/benchmarks.md).
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, base: { service: 'moat' } };
  if (destination) return pino(options, destination);
  const stdout = pino.destination({ dest: 1, sync: false, minLength: 12_288 });
  setInterval(() => stdout.flush(), FLUSH_INTERVAL_MS).unref();
  return pino(options, stdout);
}
