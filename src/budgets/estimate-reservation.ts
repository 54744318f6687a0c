import { computeCost, type Price } from '../pricing/index.ts';

/** What a request without `max_tokens` (or `max_completion_tokens`) reserves for its output. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 4096;

/**
 * The most a request may cost, reserved before dispatch: its input tokens, all billed as uncached
 * input, and its whole output allowance (reasoning included: both APIs count it inside the cap).
 * Unpriced models reserve nothing, as they are charged nothing.
 */
export function estimateReservation(price: Price | null, inputTokens: number, maxOutputTokens: number): bigint {
  if (price === null) return 0n;
  const usage = { inputTokens, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: maxOutputTokens, reasoningTokens: 0 };
  return computeCost(usage, price).costMicros;
}
