import type { Dialect } from '../types.ts';
import { encodeMessagesResponse } from './encode-response.ts';
import { anthropicErrorBody, anthropicStreamErrorFrame } from './error-body.ts';
import { ANTHROPIC_PING_FRAME, createAnthropicStreamEncoder } from './stream-encoder.ts';

/** What Anthropic Messages clients (the Anthropic SDKs, Claude-style agents) get back from Moat. */
export const anthropicMessagesDialect: Dialect = {
  name: 'anthropic-messages',
  encodeError: anthropicErrorBody,
  encodeStreamError: anthropicStreamErrorFrame,
  keepAliveFrame: ANTHROPIC_PING_FRAME,
  encodeResponse: encodeMessagesResponse,
  createStreamEncoder: createAnthropicStreamEncoder,
};
