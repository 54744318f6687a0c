import type { MoatConfig } from '../config/index.ts';

/**
 * Whether a config metering requests names an upstream that never reports a stream's usage (it cannot
 * take `stream_options`): every streamed answer from it is counted, so the tokenizer is worth loading
 * at start rather than making the first such request an estimate (docs/metering.md). A tokens-per-minute
 * limit counts every limited prompt (docs/ratelimits.md), so it needs the tokenizer too.
 */
export function configNeedsTokenizer(config: MoatConfig): boolean {
  if (config.rateLimits.rules.some((rule) => rule.tokensPerMinute !== undefined)) return true;
  // Routing compares prompt lengths with context windows and rule thresholds (docs/routing.md).
  if (config.models.some((m) => m.contextWindow !== undefined)) return true;
  if (config.routes.some((r) => r.rules.some((rule) => rule.when.minPromptTokens !== undefined))) return true;
  // Reasoning in `<think>` tags comes without a count: Moat counts it (docs/veil.md).
  if (config.models.some((m) => m.reasoningFormat !== 'fields')) return true;
  if (!config.storage.enabled) return false;
  const providers = Object.values(config.providers);
  return providers.some((p) => p.unsupportedParams.includes('stream_options')) || config.models.some((m) => m.unsupportedParams.includes('stream_options'));
}
