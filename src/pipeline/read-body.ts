import { MoatError } from '../errors/index.ts';
import type { Call } from './call.ts';

function tooLarge(call: Call, limit: number): MoatError {
  // The rest of the body stays unread, so this connection cannot carry another request.
  call.res.shouldKeepAlive = false;
  return new MoatError('body_too_large', `The request body exceeds the limit of ${limit} bytes (server.bodyLimitBytes).`);
}

/**
 * Stage 2: the whole body, refused once it passes `server.bodyLimitBytes`. A body that came in the
 * packets of its headers is in the stream's buffer by the time this runs (after authentication's
 * await): it is taken at once, without the ticks a `data` and an `end` event would each cost (about
 * 65 µs for a request that finds Moat idle; docs/benchmarks.md, fourth session).
 */
export function readBody(call: Call): Promise<Buffer> {
  const limit = call.runtime.config.server.bodyLimitBytes;
  const { req } = call;
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return Promise.reject(tooLarge(call, limit));
  // Everything the client declared is already buffered, and nobody reads the stream yet.
  if (declared > 0 && req.readableLength === declared && req.readableFlowing === null) return Promise.resolve(req.read() as Buffer);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.off('end', onEnd);
        reject(tooLarge(call, limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', (error) => reject(new MoatError('invalid_request', 'The request body could not be read.', { cause: error })));
  });
}
