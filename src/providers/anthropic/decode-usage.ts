import type { Usage } from '../../canonical/index.ts';
import { isObject, num, type Json } from './loose-json.ts';

/**
 * Anthropic `usage` → canonical usage. Anthropic counts cache reads and writes apart from
 * `input_tokens`; Moat's `inputTokens` is the whole prompt, so they are added back in. Thinking is
 * already inside `output_tokens`; `output_tokens_details.thinking_tokens` (newer API versions) says
 * how much of it. https://docs.anthropic.com/en/api/messages#response-usage
 */
export function decodeAnthropicUsage(usage: unknown): Usage | null {
  if (!isObject(usage)) return null;
  const cacheRead = num(usage.cache_read_input_tokens);
  const cacheWrite = num(usage.cache_creation_input_tokens);
  const details = isObject(usage.output_tokens_details) ? usage.output_tokens_details : {};
  return {
    inputTokens: num(usage.input_tokens) + cacheRead + cacheWrite,
    outputTokens: num(usage.output_tokens),
    reasoningTokens: num(details.thinking_tokens),
    cachedInputTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
  };
}

/**
 * A stream's usage: `message_start` carries the input counts, `message_delta` the cumulative output
 * count and (in newer API versions) any input counts again. A later non-null value wins.
 */
export function mergeUsageFields(base: Json, update: unknown): Json {
  if (!isObject(update)) return base;
  const merged: Json = { ...base };
  for (const [key, value] of Object.entries(update)) if (value !== null && value !== undefined) merged[key] = value;
  return merged;
}
