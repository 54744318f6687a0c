import { ResponseFolder, type CanonicalEvent, type CanonicalRequest, type Usage } from '../canonical/index.ts';
import type { ModelConfig } from '../config/index.ts';
import type { Dialect, StreamEncoder } from '../dialects/types.ts';
import { MoatError } from '../errors/index.ts';
import { billableUsage, type BillableUsage } from '../metering/index.ts';
import type { ChatWire, StreamDecoder } from '../providers/index.ts';
import { tokenCounterNow } from '../tokens/index.ts';
import type { EncodedBody, ResponseSink } from './response-sink.ts';

function isToken(event: CanonicalEvent): boolean {
  return event.type === 'text-delta' || event.type === 'reasoning-delta' || event.type === 'tool-call-delta';
}

/**
 * The client speaks another API than the upstream: upstream wire → canonical events (the provider) →
 * the client's wire (the dialect). The same events are folded, for usage and for non-streamed answers,
 * so a streamed and a non-streamed translation of one answer agree.
 */
export class TranslatingSink implements ResponseSink {
  private readonly wire: ChatWire;
  private readonly dialect: Dialect;
  private readonly request: CanonicalRequest;
  private readonly model: ModelConfig;
  private readonly folder = new ResponseFolder();
  private decoder: StreamDecoder | null = null;
  private encoder: StreamEncoder | null = null;
  private pending = '';
  /** The upstream's answer arrived whole: the stream ended, or the body was read. */
  private completed = false;
  sawFirstToken = false;
  streamError: MoatError | null = null;

  constructor(wire: ChatWire, dialect: Dialect, request: CanonicalRequest, model: ModelConfig) {
    this.wire = wire;
    this.dialect = dialect;
    this.request = request;
    this.model = model;
  }

  private onEvent(event: CanonicalEvent): void {
    this.folder.add(event);
    if (event.type === 'error') {
      this.streamError ??= new MoatError('upstream_error', `The upstream reported an error mid-stream: ${event.message}`, {
        upstreamCode: event.code ?? null,
      });
      return;
    }
    if (!this.sawFirstToken && isToken(event)) this.sawFirstToken = true;
    if (this.streamError === null) this.pending += this.encoder!.push(event);
  }

  private take(): string | null {
    const out = this.pending;
    this.pending = '';
    return out === '' ? null : out;
  }

  streamChunk(bytes: Buffer): string | null {
    if (!this.decoder) {
      this.encoder = this.dialect.createStreamEncoder(this.request);
      this.decoder = this.wire.createStreamDecoder((event) => this.onEvent(event), this.model);
    }
    this.decoder.feed(bytes);
    return this.take();
  }

  streamEnd(): string | null {
    this.decoder?.end();
    this.completed = this.decoder !== null;
    if (this.encoder && this.streamError === null) this.pending += this.encoder.end();
    return this.take();
  }

  body(bytes: Buffer): EncodedBody | MoatError {
    for (const event of this.wire.decodeResponse(bytes, this.model)) this.folder.add(event);
    this.completed = true;
    const response = this.folder.response;
    if (response.error) {
      return new MoatError('upstream_invalid_response', `The upstream's answer could not be read: ${response.error.message}`);
    }
    return { status: 200, contentType: 'application/json', body: this.dialect.encodeResponse(response, this.request) };
  }

  get usage(): Usage | null {
    return this.folder.response.usage;
  }

  /** The events decoded so far are already folded: counting them costs nothing until it is needed. */
  meteredUsage(): BillableUsage {
    const { response } = this.folder;
    return billableUsage(
      {
        // Decoders emit `usage` only with the final count; a cut stream may have reported part of it.
        upstream: response.usage ?? this.decoder?.partialUsage ?? null,
        upstreamFinal: response.usage !== null,
        completed: this.completed && this.streamError === null && response.error === null,
        generated: this.sawFirstToken,
      },
      this.request,
      () => response,
      tokenCounterNow,
    );
  }
}
