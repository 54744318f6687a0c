import type { Call } from './call.ts';

/**
 * Writes the response head: the headers stages collected on the call (request id, route, rate
 * limits…) and the writer's own, the writer's winning a clash (every name is lower case, so a clash
 * is one key). Stages collect instead of calling `res.setHeader`: Node's `writeHead` validates and
 * copies every header again when any was set before it, and the head of a stream is written on the
 * way to its first token (docs/benchmarks.md).
 */
export function writeHead(call: Call, status: number, headers: Record<string, string>): void {
  call.res.writeHead(status, Object.assign(call.headers, headers));
}
