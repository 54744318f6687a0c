import type { CanonicalRequest } from '../canonical/index.ts';
import type { ModelConfig } from '../config/index.ts';
import { billableUsage, type BillableUsage } from '../metering/index.ts';
import type { ChatWire, ResponseObserver } from '../providers/index.ts';
import { lastEventEnd, WholeEventBuffer } from '../streaming/index.ts';
import { tokenCounterNow } from '../tokens/index.ts';
import type { EncodedBody, ResponseSink } from './response-sink.ts';
import { RetainedAnswer } from './retained-answer.ts';

export interface PassthroughSinkOptions {
  /** What the client may see of whole events Moat observed in full (e.g. without a usage chunk it did not ask for). */
  clientView?: (events: Buffer) => Buffer;
  terminalMarker?: string;
  /** For counting an answer that comes without the upstream's usage (chat); absent: never counted. */
  counting?: { request: CanonicalRequest; wire: ChatWire; model: ModelConfig };
}

/** The client speaks the upstream's API: its bytes go back unchanged, in whole SSE events. */
export class PassthroughSink implements ResponseSink {
  private readonly observer: ResponseObserver;
  private readonly clientView: ((events: Buffer) => Buffer) | null;
  private readonly events = new WholeEventBuffer();
  private readonly terminalMarker: Buffer | null;
  /** The stream's terminal event, kept until the relay has metered the request. */
  private heldBack: Buffer | null = null;
  private readonly request: CanonicalRequest | null;
  private readonly retained: RetainedAnswer | null;
  private completed = false;
  /** Streamed bytes written to the client and not yet observed (see `streamChunk`). */
  private unobserved: Buffer[] = [];
  private readonly observeLater = (): void => this.observePending();
  readonly streamError = null;

  constructor(observer: ResponseObserver, options: PassthroughSinkOptions = {}) {
    this.observer = observer;
    this.clientView = options.clientView ?? null;
    this.terminalMarker = options.terminalMarker ? Buffer.from(options.terminalMarker) : null;
    this.request = options.counting?.request ?? null;
    this.retained = options.counting ? new RetainedAnswer(options.counting.wire, options.counting.model) : null;
  }

  private view(bytes: Buffer | null): Buffer | null {
    if (bytes === null) return null;
    let shown = this.clientView ? this.clientView(bytes) : bytes;
    if (this.heldBack !== null) {
      // Anything after the terminal event keeps its place behind it.
      this.heldBack = Buffer.concat([this.heldBack, shown]);
      return null;
    }
    const marker = this.terminalMarker ? shown.lastIndexOf(this.terminalMarker) : -1;
    // Only a marker that starts an event counts: JSON text cannot hold a raw blank line before it.
    if (marker !== -1 && (marker === 0 || lastEventEnd(shown.subarray(0, marker)) === marker)) {
      this.heldBack = Buffer.from(shown.subarray(marker));
      shown = shown.subarray(0, marker);
    }
    return shown.length > 0 ? shown : null;
  }

  /**
   * The bytes are observed (usage, first token, the retained answer) in a microtask, after the
   * relay's write has gone to the socket: Node sends a write on the next tick, which runs before
   * microtasks, so the client's bytes no longer wait behind the parsing (time to first token). Every
   * reader of what was observed catches up first.
   */
  streamChunk(bytes: Buffer): Buffer | null {
    const whole = this.events.push(bytes);
    if (whole === null) return null;
    if (this.unobserved.push(whole) === 1) queueMicrotask(this.observeLater);
    return this.view(whole);
  }

  private observePending(): void {
    if (this.unobserved.length === 0) return;
    const pending = this.unobserved;
    this.unobserved = [];
    for (const bytes of pending) {
      this.observer.chunk(bytes);
      this.retained?.keep(bytes);
    }
  }

  streamEnd(): Buffer | null {
    const last = this.events.flush();
    if (last !== null) this.unobserved.push(last);
    this.observePending();
    const rest = this.view(last);
    this.observer.end();
    this.completed = true;
    const held = this.heldBack;
    this.heldBack = null;
    if (held === null) return rest;
    return rest === null ? held : Buffer.concat([rest, held]);
  }

  body(bytes: Buffer, status: number, contentType: string): EncodedBody {
    this.observer.body(bytes);
    this.retained?.keepBody(bytes);
    this.completed = true;
    return { status, contentType, body: bytes };
  }

  get usage() {
    this.observePending();
    return this.observer.usage;
  }

  get sawFirstToken(): boolean {
    this.observePending();
    return this.observer.sawFirstToken;
  }

  meteredUsage(): BillableUsage {
    this.observePending();
    const { usage } = this.observer;
    const retained = this.retained;
    return billableUsage(
      {
        upstream: usage,
        upstreamFinal: usage !== null && (this.observer.usageFinal ?? true),
        completed: this.completed && retained !== null && retained.received,
        generated: this.observer.sawFirstToken,
      },
      this.request,
      () => retained!.response(),
      tokenCounterNow,
    );
  }
}
