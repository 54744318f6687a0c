/**
 * Tracks whether the bytes forwarded so far end between two SSE events, the only place where Moat may
 * insert a keep-alive comment or an error event of its own without corrupting the upstream's event.
 * Events end with a blank line: \n\n, \r\r or \r\n\r\n (https://html.spec.whatwg.org/multipage/server-sent-events.html).
 */
export class EventBoundary {
  /** The last four bytes seen, oldest first; 0 where nothing was seen yet. */
  private b0 = 0;
  private b1 = 0;
  private b2 = 0;
  private b3 = 0x0a;
  private seenAny = false;

  push(chunk: Uint8Array): void {
    const n = chunk.length;
    if (n === 0) return;
    this.seenAny = true;
    if (n >= 4) {
      this.b0 = chunk[n - 4]!;
      this.b1 = chunk[n - 3]!;
      this.b2 = chunk[n - 2]!;
      this.b3 = chunk[n - 1]!;
      return;
    }
    for (let i = 0; i < n; i++) {
      this.b0 = this.b1;
      this.b1 = this.b2;
      this.b2 = this.b3;
      this.b3 = chunk[i]!;
    }
  }

  get atBoundary(): boolean {
    if (!this.seenAny) return true;
    const { b0, b1, b2, b3 } = this;
    if (b3 === 0x0a && b2 === 0x0a) return true;
    if (b3 === 0x0d && b2 === 0x0d) return true;
    return b3 === 0x0a && b2 === 0x0d && b1 === 0x0a && b0 === 0x0d;
  }
}
