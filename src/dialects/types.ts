import type { CanonicalEvent, CanonicalRequest, CanonicalResponse } from '../canonical/index.ts';
import type { MoatError } from '../errors/index.ts';

export type DialectName = 'openai-chat' | 'anthropic-messages';

/** Turns canonical events into a client's SSE bytes, one call per event, and closes the stream. */
export interface StreamEncoder {
  /** SSE text for this event ('' when it produces nothing yet). */
  push(event: CanonicalEvent): string;
  /** SSE text that ends a stream that completed normally (e.g. OpenAI's `data: [DONE]`). */
  end(): string;
}

/** What a client API needs beyond decoding its requests: its answers and errors on the wire. */
export interface Dialect {
  readonly name: DialectName;
  /** The whole error body for a response that has not started. */
  encodeError(error: MoatError, requestId: string): string;
  /** An SSE frame that reports an error inside a stream that has started. */
  encodeStreamError(error: MoatError, requestId: string): string;
  /** What Moat sends a streaming client while the upstream is silent. */
  readonly keepAliveFrame: string;
  /** A non-streamed answer; `request` supplies what the wire needs but the response lacks (e.g. stop sequences). */
  encodeResponse(response: CanonicalResponse, request: CanonicalRequest): string;
  createStreamEncoder(request: CanonicalRequest): StreamEncoder;
}
