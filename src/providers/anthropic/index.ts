export {
  ANTHROPIC_API_KEY_ENV,
  ANTHROPIC_BASE_URL,
  countTokensPath,
  createAnthropicProvider,
  DEFAULT_ANTHROPIC_VERSION,
} from './create-anthropic-provider.ts';
export { decodeAnthropicError } from './decode-error.ts';
export { anthropicMessageToEvents } from './decode-response.ts';
export { decodeAnthropicUsage } from './decode-usage.ts';
export { encodeAnthropicMessages } from './encode-messages.ts';
export { encodeAnthropicRequest } from './encode-request.ts';
export { mapAnthropicStopReason, STOP_REASONS } from './map-stop-reason.ts';
export { DEFAULT_MAX_TOKENS, EFFORT_BUDGETS, MIN_THINKING_BUDGET, planThinking } from './plan-thinking.ts';
export { AnthropicStreamDecoder } from './stream-decoder.ts';
export { AnthropicUsageObserver } from './usage-observer.ts';
export type { AnthropicRequestBody } from './wire-types.ts';
