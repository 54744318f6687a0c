import type { Dispatcher } from 'undici';
import type { OptionalParam, TimeoutsConfig } from '../config/index.ts';
import type { MoatError } from '../errors/index.ts';

/** The client API whose bodies an upstream accepts unchanged, which makes passthrough possible. */
export type WireDialect = 'openai-chat';

/** A configured upstream, ready to take requests. Built from config by the provider's factory. */
export interface Provider {
  readonly name: string;
  readonly type: string;
  readonly nativeDialect: WireDialect;
  /** e.g. `/v1`: endpoint paths are appended to it. */
  readonly basePath: string;
  readonly dispatcher: Dispatcher;
  readonly unsupportedParams: ReadonlySet<OptionalParam>;
  readonly timeouts: TimeoutsConfig;
  /** Headers for every upstream request, credentials included; throws `provider_not_configured` if one is missing. */
  upstreamHeaders(requestId: string): Record<string, string>;
  /** An upstream error response → a typed error, read from the body's structured fields. */
  decodeError(status: number, headers: Record<string, string | string[] | undefined>, body: Buffer): MoatError;
  /** Waits for requests in flight, then releases connections. */
  close(): Promise<void>;
}
