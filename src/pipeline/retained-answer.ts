import { ResponseFolder, type CanonicalResponse } from '../canonical/index.ts';
import type { ModelConfig } from '../config/index.ts';
import type { ChatWire, StreamDecoder } from '../providers/index.ts';

/**
 * Past this many retained bytes a stream's events are decoded and folded, and the bytes let go: the
 * memory a stream holds stays bounded, and only streams this long (~1,000 OpenAI events) pay for
 * parsing when their usage turns out to be reported after all.
 */
export const RETAINED_BYTES_LIMIT = 256 * 1024;

/**
 * What a passthrough answer said, kept as cheaply as possible in case Moat has to count it: the whole
 * SSE events already relayed, by reference (no copy, no parse), or the body. They are decoded — by the
 * provider's own stream decoder, the one SSE parser — only when the request is metered without the
 * upstream's final usage (docs/metering.md).
 */
export class RetainedAnswer {
  private readonly wire: ChatWire;
  private readonly model: ModelConfig;
  private chunks: Buffer[] = [];
  private bytes = 0;
  private body: Buffer | null = null;
  private decoder: StreamDecoder | null = null;
  private readonly folder = new ResponseFolder();
  private ended = false;
  /** Some answer arrived: an event or a body. */
  received = false;

  constructor(wire: ChatWire, model: ModelConfig) {
    this.wire = wire;
    this.model = model;
  }

  /** Whole SSE events, as relayed. */
  keep(events: Buffer): void {
    if (this.ended) return;
    this.received = true;
    this.chunks.push(events);
    this.bytes += events.length;
    if (this.bytes > RETAINED_BYTES_LIMIT) this.fold();
  }

  keepBody(body: Buffer): void {
    this.received = true;
    this.body = body;
  }

  private fold(): void {
    if (this.chunks.length === 0) return;
    this.decoder ??= this.wire.createStreamDecoder((event) => this.folder.add(event), this.model);
    for (const chunk of this.chunks) this.decoder.feed(chunk);
    this.chunks = [];
    this.bytes = 0;
  }

  /** What was generated up to now; decodes what is held, once. */
  response(): CanonicalResponse {
    if (this.ended) return this.folder.response;
    this.ended = true;
    if (this.body) {
      try {
        for (const event of this.wire.decodeResponse(this.body, this.model)) this.folder.add(event);
      } catch {
        // A body that does not decode generated nothing Moat can count.
      }
      this.body = null;
    } else {
      this.fold();
      this.decoder?.end();
    }
    return this.folder.response;
  }
}
