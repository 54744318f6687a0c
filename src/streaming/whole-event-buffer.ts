import { lastEventEnd } from './event-boundary.ts';

/**
 * Holds back the unfinished tail of an SSE byte stream: `push` returns the bytes that complete events,
 * and keeps the rest until the chunk that finishes it arrives.
 */
export class WholeEventBuffer {
  private pending: Buffer | null = null;

  push(chunk: Buffer): Buffer | null {
    const bytes = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    const end = lastEventEnd(bytes);
    if (end === bytes.length) {
      this.pending = null;
      return bytes;
    }
    // Copy: undici may reuse the memory behind `chunk`.
    this.pending = Buffer.from(bytes.subarray(end));
    return end === 0 ? null : bytes.subarray(0, end);
  }

  /** Whatever is left when the upstream ends without a final blank line. */
  flush(): Buffer | null {
    const rest = this.pending;
    this.pending = null;
    return rest;
  }
}
