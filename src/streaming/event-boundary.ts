const LF = 0x0a;
const CR = 0x0d;

/**
 * The offset just past the last complete SSE event in `bytes` (0 if none is complete). An event ends
 * with a blank line: two line terminators in a row, each \n, \r or \r\n
 * (https://html.spec.whatwg.org/multipage/server-sent-events.html#parsing-an-event-stream).
 *
 * Moat forwards streams in whole events only, so a client never holds half an event when Moat must
 * add its own (a keep-alive comment, or an error after an upstream failure).
 */
export function lastEventEnd(bytes: Uint8Array): number {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  let searchFrom = buffer.length - 1;
  while (searchFrom >= 1) {
    const end = Math.max(buffer.lastIndexOf(LF, searchFrom), buffer.lastIndexOf(CR, searchFrom));
    if (end < 1) return 0;
    const start = buffer[end] === LF && buffer[end - 1] === CR ? end - 1 : end;
    const before = buffer[start - 1];
    if (before === LF || before === CR) return end + 1;
    searchFrom = start - 1;
  }
  return 0;
}
