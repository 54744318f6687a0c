import type { MoatError } from '../errors/index.ts';
import type { Call } from './call.ts';
import { finalize } from './finalize.ts';
import { writeHead } from './write-head.ts';

/** Answers with the error in the client's dialect; the one way errors leave Moat before headers are sent. */
export function sendError(call: Call, error: MoatError): void {
  const { res } = call;
  call.outcome.status = error.status;
  call.outcome.errorCode = error.code;
  finalize(call);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = call.dialect.encodeError(error, call.id);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
  };
  if (error.retryAfter) headers['retry-after'] = error.retryAfter;
  // Both official SDKs (Stainless-generated) obey this header before their own retry rules.
  if (error.shouldRetry !== null) headers['x-should-retry'] = String(error.shouldRetry);
  if (call.warnings.length > 0) headers['x-moat-warnings'] = call.warnings.join('; ');
  writeHead(call, error.status, headers);
  res.end(body);
}

/** An error after a stream has started: one last SSE frame the client's SDK reads as an API error. */
export function writeStreamError(call: Call, error: MoatError): void {
  call.res.write(call.dialect.encodeStreamError(error, call.id));
}
