import { createParser, type EventSourceMessage, type EventSourceParser } from 'eventsource-parser';

/**
 * The one place Moat reads Server-Sent Events: bytes in, whole events out, however the bytes were
 * split (UTF-8 sequences and lines may straddle chunks).
 */
export class SseDecoder {
  private readonly parser: EventSourceParser;
  private readonly text = new TextDecoder();

  constructor(onEvent: (event: EventSourceMessage) => void) {
    this.parser = createParser({ onEvent });
  }

  feed(bytes: Uint8Array): void {
    this.parser.feed(this.text.decode(bytes, { stream: true }));
  }

  /** Flushes a final event that lacked its closing blank line. */
  end(): void {
    const rest = this.text.decode();
    if (rest) this.parser.feed(rest);
    this.parser.feed('\n\n');
  }
}
