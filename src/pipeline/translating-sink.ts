import { ResponseFolder, type CanonicalEvent, type CanonicalRequest, type Usage } from '../canonical/index.ts';
import type { ModelConfig } from '../config/index.ts';
import type { Dialect, StreamEncoder } from '../dialects/types.ts';
import { MoatError } from '../errors/index.ts';
import { billableUsage, type BillableUsage } from '../metering/index.ts';
import type { ChatWire, StreamDecoder } from '../providers/index.ts';
import { tokenCounterNow } from '../tokens/index.ts';
import { FilterChain, type EventFilterFactory } from './event-filter.ts';
import type { EncodedBody, ResponseSink } from './response-sink.ts';

function isToken(event: CanonicalEvent): boolean {
  return event.type === 'text-delta' || event.type === 'reasoning-delta' || event.type === 'tool-call-delta';
}

/**
 * The client speaks another API than the upstream: upstream wire → canonical events (the provider) →
 * the client's wire (the dialect). The same events are folded, for usage and for non-streamed answers,
 * so a streamed and a non-streamed translation of one answer agree. Response filters (veil, privacy)
 * sit between the fold and the client: the fold, which metering reads, sees the upstream's events.
 */
export class TranslatingSink implements ResponseSink {
  private readonly wire: ChatWire;
  private readonly dialect: Dialect;
  private readonly request: CanonicalRequest;
  private readonly model: ModelConfig;
  private readonly folder = new ResponseFolder();
  private readonly filterFactories: readonly EventFilterFactory[];
  private filters: FilterChain | null = null;
  /** The client's view of a non-streamed answer, once decoded. */
  private bodyFolder: ResponseFolder | null = null;
  private decoder: StreamDecoder | null = null;
  private encoder: StreamEncoder | null = null;
  private pending = '';
  /** The upstream's answer arrived whole: the stream ended, or the body was read. */
  private completed = false;
  sawFirstToken = false;
  streamError: MoatError | null = null;

  constructor(wire: ChatWire, dialect: Dialect, request: CanonicalRequest, model: ModelConfig, filters: readonly EventFilterFactory[] = []) {
    this.wire = wire;
    this.dialect = dialect;
    this.request = request;
    this.model = model;
    this.filterFactories = filters;
  }

  /** Built on first use, for streams and bodies alike. */
  private filterChain(toClient: (event: CanonicalEvent) => void): FilterChain | null {
    if (this.filterFactories.length === 0) return null;
    this.filters ??= new FilterChain(this.filterFactories, toClient);
    return this.filters;
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
    if (this.streamError !== null) return;
    if (this.filters) this.filters.push(event);
    else this.pending += this.encoder!.push(event);
  }

  private encode = (event: CanonicalEvent): void => {
    this.pending += this.encoder!.push(event);
  };

  private take(): string | null {
    const out = this.pending;
    this.pending = '';
    return out === '' ? null : out;
  }

  streamChunk(bytes: Buffer): string | null {
    if (!this.decoder) {
      this.encoder = this.dialect.createStreamEncoder(this.request);
      this.filterChain(this.encode);
      this.decoder = this.wire.createStreamDecoder((event) => this.onEvent(event), this.model);
    }
    this.decoder.feed(bytes);
    return this.take();
  }

  streamEnd(): string | null {
    this.decoder?.end();
    this.completed = this.decoder !== null;
    if (this.streamError === null) this.filters?.end();
    if (this.encoder && this.streamError === null) this.pending += this.encoder.end();
    return this.take();
  }

  settle(bytes: Buffer | null): Promise<void> | null {
    if (bytes !== null) this.decodeBody(bytes);
    return this.filters?.settled() ?? null;
  }

  /** A non-streamed body through the fold and the filters (not ended yet: see `settle`). */
  private decodeBody(bytes: Buffer): ResponseFolder {
    if (this.bodyFolder) return this.bodyFolder;
    // What the client sees: the upstream's answer through the filters.
    const clientFolder = this.filterFactories.length === 0 ? this.folder : new ResponseFolder();
    const chain = this.filterChain((event) => clientFolder.add(event));
    for (const event of this.wire.decodeResponse(bytes, this.model)) {
      this.folder.add(event);
      if (chain) chain.push(event);
    }
    this.bodyFolder = clientFolder;
    return clientFolder;
  }

  body(bytes: Buffer): EncodedBody | MoatError {
    const clientFolder = this.decodeBody(bytes);
    this.filters?.end();
    this.completed = true;
    const response = this.folder.response;
    if (response.error) {
      return new MoatError('upstream_invalid_response', `The upstream's answer could not be read: ${response.error.message}`);
    }
    return { status: 200, contentType: 'application/json', body: this.dialect.encodeResponse(clientFolder.response, this.request) };
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
