import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PriceBook } from '../pricing/index.ts';
import { decodeAnthropicUsage } from '../providers/anthropic/index.ts';
import { decodeUsage } from '../providers/openai/index.ts';
import { buildLedgerRow } from './build-ledger-row.ts';
import type { LedgerRowInput } from './build-ledger-row.ts';

const prices = new PriceBook();

const input = (over: Partial<LedgerRowInput>): LedgerRowInput => ({
  requestId: 'req-1', keyId: 'key-1', tenantId: 'tenant-1', requestedModel: 'smart', servedModel: 'o3-2025-04-16', providerName: 'openai-main',
  providerType: 'openai', usage: null, usageSource: 'upstream', status: 200, errorCode: null, latencyMs: 812.4, ttftMs: 95.5,
  routeReason: 'model-table', attempts: 1, flags: [], createdAt: Date.UTC(2026, 0, 1), ...over,
});

// The shape of an OpenAI chat.completion `usage` with both cached and reasoning tokens.
const openAIUsage = decodeUsage({
  prompt_tokens: 3000, completion_tokens: 1501, total_tokens: 4501,
  prompt_tokens_details: { cached_tokens: 2047, audio_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 1024, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
});

// Expected costs by hand: tokens × µUSD/MTok = pico-USD; ÷ 1e6, rounded half up once.
describe('buildLedgerRow', () => {
  it('OpenAI cached + reasoning tokens on o3 ($2 / $0.50 / $8 since 2025-06-10)', () => {
    const { row, priced } = buildLedgerRow(input({ usage: openAIUsage }), prices);
    expect(priced).toBe(true);
    expect(row).toMatchObject({ inputTokens: 3000, cachedInputTokens: 2047, cacheWriteTokens: 0, outputTokens: 1501, reasoningTokens: 1024 });
    // 953 × 2_000_000 + 2047 × 500_000 + 1501 × 8_000_000 (reasoning inside output) = 14_937_500_000
    expect(row.costMicros).toBe(14_938n);
  });

  it('prices at createdAt: the same usage before the o3 price cut ($10 / $2.50 / $40)', () => {
    const { row } = buildLedgerRow(input({ usage: openAIUsage, createdAt: Date.UTC(2025, 4, 1) }), prices);
    // 953 × 10_000_000 + 2047 × 2_500_000 + 1501 × 40_000_000 = 74_687_500_000
    expect(row.costMicros).toBe(74_688n);
  });

  it('Anthropic cache reads and writes, recorded response (Sonnet 4.5: $3 / write $3.75 / read $0.30 / $15)', () => {
    const body = JSON.parse(readFileSync(new URL('../providers/anthropic/__fixtures__/messages-cache.response.json', import.meta.url), 'utf8'));
    const usage = decodeAnthropicUsage(body.usage);
    const { row, priced } = buildLedgerRow(input({ usage, servedModel: body.model, providerName: 'anthropic', providerType: 'anthropic' }), prices);
    expect(priced).toBe(true);
    expect(row).toMatchObject({ inputTokens: 1210, cachedInputTokens: 1183, cacheWriteTokens: 23, outputTokens: 55, provider: 'anthropic' });
    // 4 × 3_000_000 + 1183 × 300_000 + 23 × 3_750_000 + 55 × 15_000_000 = 1_278_150_000
    expect(row.costMicros).toBe(1278n);
  });

  it('no usage from the upstream: zero tokens, marked as an estimate, cost 0', () => {
    const { row, priced } = buildLedgerRow(input({ usage: null, usageSource: 'upstream', status: 502, errorCode: 'upstream_error' }), prices);
    expect(priced).toBe(true);
    expect(row).toMatchObject({ inputTokens: 0, outputTokens: 0, usageSource: 'estimate', costMicros: 0n, status: 502, errorCode: 'upstream_error' });
  });

  it('a tokenizer estimate passed instead keeps its source and is priced', () => {
    const usage = { inputTokens: 1000, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 100, reasoningTokens: 0 };
    const { row } = buildLedgerRow(input({ usage, usageSource: 'tokenizer' }), prices);
    expect(row.usageSource).toBe('tokenizer');
    expect(row.costMicros).toBe(2800n); // 1000 × 2 + 100 × 8
  });

  it('an unpriced model costs 0 and says so', () => {
    const { row, priced } = buildLedgerRow(input({ usage: openAIUsage, servedModel: 'llama-local', providerType: 'openai-compatible' }), prices);
    expect(priced).toBe(false);
    expect(row.costMicros).toBe(0n);
  });

  it('a config override for the provider name wins over the catalog', () => {
    const book = new PriceBook(undefined, [{ provider: 'openai-main', model: 'o3*', effectiveFrom: undefined, basis: 'per-token', price: { inputPerMTok: 1_000_000, outputPerMTok: 1_000_000, cachedInputPerMTok: 1_000_000, cacheWritePerMTok: 0 } }]);
    expect(buildLedgerRow(input({ usage: openAIUsage }), book).row.costMicros).toBe(4501n);
  });

  it('rounds timings to whole milliseconds and copies the request facts', () => {
    const { row } = buildLedgerRow(input({}), prices);
    expect(row).toMatchObject({ requestId: 'req-1', keyId: 'key-1', tenantId: 'tenant-1', requestedModel: 'smart', servedModel: 'o3-2025-04-16' });
    expect(row).toMatchObject({ provider: 'openai-main', latencyMs: 812, ttftMs: 96, routeReason: 'model-table', createdAt: Date.UTC(2026, 0, 1) });
  });
});
