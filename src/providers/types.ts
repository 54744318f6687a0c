import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import type { CanonicalEvent, CanonicalRequest, Usage } from '../canonical/index.ts';
import type { ModelConfig, OptionalParam, TimeoutsConfig } from '../config/index.ts';
import type { DialectName } from '../dialects/types.ts';
import type { MoatError } from '../errors/index.ts';

/** Reads usage and the first token from a relayed response without changing a byte of it. */
export interface ResponseObserver {
  /** Streamed body bytes, in whole SSE events, as they are forwarded. */
  chunk(bytes: Buffer): void;
  /** The stream ended normally. */
  end(): void;
  /** A whole non-streamed body. */
  body(bytes: Buffer): void;
  readonly usage: Usage | null;
  /**
   * Whether `usage` is the upstream's final count, rather than a partial one a cut stream may leave
   * (Anthropic's `message_start` has the input but not the output). Absent: any usage is final.
   */
  readonly usageFinal?: boolean;
  readonly sawFirstToken: boolean;
}

/** Upstream SSE bytes → canonical events, however the bytes are split. */
export interface StreamDecoder {
  feed(bytes: Uint8Array): void;
  end(): void;
  /**
   * Usage reported before the stream's end, for metering a stream cut short (Anthropic's
   * `message_start` input counts); the final usage comes as a `usage` event. Absent: none.
   */
  readonly partialUsage?: Usage | null;
}

/** How one provider speaks the chat endpoint of its API. All functions are pure. */
export interface ChatWire {
  /** Path under the provider's base path, e.g. `/chat/completions` or `/messages`. */
  readonly path: string;
  /**
   * Canonical request → upstream body. Throws `MoatError` for what the upstream cannot express when
   * ignoring it would change the answer; pushes a line to `warnings` for what it dropped otherwise.
   */
  encodeRequest(request: CanonicalRequest, upstreamModel: string, model: ModelConfig, warnings?: string[]): Buffer;
  /** A whole non-streamed upstream body → the events a stream of it would carry. */
  decodeResponse(body: Buffer, model: ModelConfig): CanonicalEvent[];
  createStreamDecoder(emit: (event: CanonicalEvent) => void, model: ModelConfig): StreamDecoder;
  /** A light reader for the passthrough path (the client speaks this provider's API). */
  createObserver(): ResponseObserver;
  /**
   * Bytes that mark the event ending a stream (`data: [DONE]`, `event: message_stop`): passthrough
   * holds that event back until the request is metered, so no client has a complete answer that the
   * ledger lacks.
   */
  readonly terminalMarker: string;
}

/** A configured upstream, ready to take requests. Built from config by the provider's factory. */
export interface Provider {
  readonly name: string;
  readonly type: string;
  /** The client API whose bodies this upstream accepts unchanged, which makes passthrough possible. */
  readonly nativeDialect: DialectName;
  /** e.g. `/v1`: endpoint paths are appended to it. */
  readonly basePath: string;
  readonly dispatcher: Dispatcher;
  readonly unsupportedParams: ReadonlySet<OptionalParam>;
  readonly timeouts: TimeoutsConfig;
  readonly chat: ChatWire;
  /**
   * Headers for every upstream request, credentials included; throws `provider_not_configured` if one
   * is missing. `clientHeaders` lets a provider pass on version and beta headers of its own API.
   */
  upstreamHeaders(requestId: string, clientHeaders: IncomingHttpHeaders): Record<string, string>;
  /** An upstream error response → a typed error, read from the body's structured fields. */
  decodeError(status: number, headers: IncomingHttpHeaders, body: Buffer): MoatError;
  /** Waits for requests in flight, then releases connections. */
  close(): Promise<void>;
}
