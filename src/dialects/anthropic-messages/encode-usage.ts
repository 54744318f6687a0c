import type { CanonicalRequest, Usage } from '../../canonical/index.ts';

export interface AnthropicUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  output_tokens: number;
  output_tokens_details: { thinking_tokens: number } | null;
}

/**
 * Canonical usage → Anthropic's (https://docs.anthropic.com/en/api/messages#response-usage).
 * Anthropic's `input_tokens` excludes cache reads and writes, which it counts apart; Moat's
 * `inputTokens` includes them, so they are taken out again (never below zero, in case an upstream
 * counted differently). Unknown usage reads as zeros.
 *
 * `output_tokens_details` is present, as the API sends it, when the request turned thinking on (then
 * even `{thinking_tokens: 0}`), or when reasoning tokens were counted anyway; otherwise null.
 */
export function encodeAnthropicUsage(usage: Usage | null, request: CanonicalRequest): AnthropicUsage {
  if (!usage) return { input_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 0, output_tokens_details: null };
  const thinking = usage.reasoningTokens > 0 || request.options.reasoning?.enabled === true;
  return {
    input_tokens: Math.max(0, usage.inputTokens - usage.cachedInputTokens - usage.cacheWriteTokens),
    cache_creation_input_tokens: usage.cacheWriteTokens,
    cache_read_input_tokens: usage.cachedInputTokens,
    output_tokens: usage.outputTokens,
    output_tokens_details: thinking ? { thinking_tokens: usage.reasoningTokens } : null,
  };
}
