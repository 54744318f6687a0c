import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Usage } from '../canonical/index.ts';
import { decodeAnthropicUsage } from '../providers/anthropic/index.ts';
import { decodeUsage } from '../providers/openai/index.ts';
import { computeCost } from './cost.ts';
import { PriceBook } from './resolve-price.ts';
import type { Price } from './types.ts';

const json = (path: string): { usage: unknown; model: string; created?: number } =>
  JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));

const book = new PriceBook();
const priceOf = (type: string, model: string, at = new Date('2026-11-24T00:00:00Z')): Price => {
  const resolved = book.resolve(type, model, at);
  if (!resolved) throw new Error(`no price for ${type} ${model}`);
  return resolved.price;
};

// Expected values are worked by hand: tokens × µUSD/MTok = pico-USD; ÷ 1e6, round half up.
describe('computeCost on recorded usage shapes', () => {
  it('OpenAI cached tokens: priced at the cached rate, not again as input (gpt-4.1: $2 / $0.50 / $8)', () => {
    const body = json('./__fixtures__/chat-cached.response.json');
    const usage = decodeUsage(body.usage)!;
    const { costMicros, breakdown } = computeCost(usage, priceOf('openai', body.model));
    expect(breakdown.uncachedInputTokens).toBe(86); // 2006 − 1920
    expect(breakdown.uncachedInputPicos).toBe(172_000_000n); // 86 × 2_000_000
    expect(breakdown.cachedInputPicos).toBe(960_000_000n); // 1920 × 500_000
    expect(breakdown.outputPicos).toBe(2_400_000_000n); // 300 × 8_000_000
    expect(costMicros).toBe(3532n); // $0.003532; billing the 1920 twice would give 7372
  });

  it('OpenAI reasoning tokens: billed once, as output (o3-mini: $1.10 / $4.40)', () => {
    const body = json('../providers/openai/__fixtures__/chat-reasoning.response.json');
    const usage = decodeUsage(body.usage)!;
    expect(usage).toMatchObject({ inputTokens: 27, outputTokens: 1216, reasoningTokens: 1152 });
    const { costMicros, breakdown } = computeCost(usage, priceOf('openai', body.model));
    expect(breakdown.outputPicos).toBe(5_350_400_000n); // 1216 × 4_400_000
    expect(breakdown.reasoningPicos).toBe(5_068_800_000n); // 1152 × 4_400_000, inside outputPicos
    expect(breakdown.totalPicos).toBe(5_380_100_000n); // + 27 × 1_100_000
    expect(costMicros).toBe(5380n); // 5380.1 → 5380; adding reasoning again would give 10449
  });

  it('Anthropic cache reads and writes (Sonnet 4.5: $3 / 5m write $3.75 / read $0.30 / $15)', () => {
    const body = json('../providers/anthropic/__fixtures__/messages-cache.response.json');
    const usage = decodeAnthropicUsage(body.usage)!;
    expect(usage).toMatchObject({ inputTokens: 1210, cachedInputTokens: 1183, cacheWriteTokens: 23 });
    const { costMicros, breakdown } = computeCost(usage, priceOf('anthropic', body.model));
    expect(breakdown.uncachedInputPicos).toBe(12_000_000n); // 4 × 3_000_000
    expect(breakdown.cachedInputPicos).toBe(354_900_000n); // 1183 × 300_000
    expect(breakdown.cacheWritePicos).toBe(86_250_000n); // 23 × 3_750_000
    expect(breakdown.outputPicos).toBe(825_000_000n); // 55 × 15_000_000
    expect(costMicros).toBe(1278n); // 1278.15 → 1278
  });

  it('Anthropic thinking tokens: inside output_tokens, billed once (Sonnet 4.5)', () => {
    const body = json('../providers/anthropic/__fixtures__/messages-thinking.response.json');
    const usage = decodeAnthropicUsage(body.usage)!;
    const { costMicros, breakdown } = computeCost(usage, priceOf('anthropic', body.model));
    expect(breakdown.reasoningPicos).toBe(2_085_000_000n); // 139 × 15_000_000
    expect(costMicros).toBe(3084n); // 48 × 3 + 196 × 15 = 3084
  });

  it('DeepSeek at the time of the response (V3.2 rates on 2025-11-24: $0.28 / $0.42)', () => {
    const body = json('../providers/openai-compatible/__fixtures__/deepseek-reasoning.response.json');
    const usage = decodeUsage(body.usage)!;
    const price = priceOf('openai-compatible', body.model, new Date(body.created! * 1000));
    expect(computeCost(usage, price).costMicros).toBe(22n); // 17 × 0.28 + 41 × 0.42 = 21.98 µUSD
  });
});

const PRICE: Price = { inputPerMTok: 3_000_000, outputPerMTok: 15_000_000, cachedInputPerMTok: 300_000, cacheWritePerMTok: 3_750_000 };
const usageOf = (uncached: number, cached: number, written: number, output: number, reasoning = 0): Usage =>
  ({ inputTokens: uncached + cached + written, cachedInputTokens: cached, cacheWriteTokens: written, outputTokens: output, reasoningTokens: reasoning });

describe('computeCost arithmetic', () => {
  it('rounds half up, once, on the total', () => {
    const halfMicro: Price = { inputPerMTok: 500_000, outputPerMTok: 499_999, cachedInputPerMTok: 0, cacheWritePerMTok: 0 };
    expect(computeCost(usageOf(1, 0, 0, 0), halfMicro).costMicros).toBe(1n); // 0.5 µUSD
    expect(computeCost(usageOf(0, 0, 0, 1), halfMicro).costMicros).toBe(0n); // 0.499999 µUSD
    expect(computeCost(usageOf(1, 0, 0, 1), halfMicro).costMicros).toBe(1n); // 0.999999, not 1 + 0
  });

  it('is exact above 2^53', () => {
    const max = Number.MAX_SAFE_INTEGER;
    const price: Price = { inputPerMTok: 15_000_000, outputPerMTok: 75_000_000, cachedInputPerMTok: 1_500_000, cacheWritePerMTok: 18_750_000 };
    const { costMicros } = computeCost(usageOf(0, 0, 0, max), price);
    expect(costMicros).toBe(9_007_199_254_740_991n * 75n);
    expect(BigInt(max * 75)).not.toBe(costMicros); // what a float would have given
    expect(computeCost(usageOf(max - 2, 1, 1, 0), price).costMicros).toBe((9_007_199_254_740_989n * 15_000_000n + 1_500_000n + 18_750_000n + 500_000n) / 1_000_000n);
  });

  it('takes uncached input as 0 when cached + written exceed the input, and says so', () => {
    const usage: Usage = { inputTokens: 10, cachedInputTokens: 8, cacheWriteTokens: 5, outputTokens: 0, reasoningTokens: 0 };
    const { breakdown } = computeCost(usage, PRICE);
    expect(breakdown.uncachedInputTokens).toBe(0);
    expect(breakdown.inputUndercount).toBe(true);
    expect(breakdown.totalPicos).toBe(8n * 300_000n + 5n * 3_750_000n);
  });

  it('rejects negative and fractional counts', () => {
    expect(() => computeCost({ ...usageOf(1, 0, 0, 1), outputTokens: -1 }, PRICE)).toThrow('usage.outputTokens must be a non-negative integer');
    expect(() => computeCost({ ...usageOf(1, 0, 0, 1), inputTokens: 1.5 }, PRICE)).toThrow(RangeError);
  });
});

const count = fc.integer({ min: 0, max: 2_000_000_000 });
const perMTok = fc.integer({ min: 0, max: 200_000_000 });
const anyPrice = fc.record({ inputPerMTok: perMTok, outputPerMTok: perMTok, cachedInputPerMTok: perMTok, cacheWritePerMTok: perMTok });
/** Consistent usage: input = uncached + cached + written, reasoning ≤ output. */
const anyUsage = fc
  .tuple(count, count, count, count, fc.double({ min: 0, max: 1, noNaN: true }))
  .map(([uncached, cached, written, output, share]) => usageOf(uncached, cached, written, output, Math.floor(output * share)));

describe('computeCost properties', () => {
  it('is never negative, even for inconsistent usage', () => {
    fc.assert(fc.property(fc.record({ inputTokens: count, outputTokens: count, reasoningTokens: count, cachedInputTokens: count, cacheWriteTokens: count }), anyPrice,
      (u, p) => computeCost(u, p).costMicros >= 0n));
  });

  it('is monotonic in each independent count (uncached, cached, written, output)', () => {
    fc.assert(fc.property(anyUsage, anyPrice, fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 1_000_000 }), (u, p, which, extra) => {
      const more = { ...u };
      if (which === 0) more.inputTokens += extra;
      if (which === 1) { more.inputTokens += extra; more.cachedInputTokens += extra; }
      if (which === 2) { more.inputTokens += extra; more.cacheWriteTokens += extra; }
      if (which === 3) more.outputTokens += extra;
      const [after, before] = [computeCost(more, p), computeCost(u, p)];
      return after.breakdown.totalPicos >= before.breakdown.totalPicos && after.costMicros >= before.costMicros;
    }));
  });

  it('is additive across split usages within 1 µUSD per split', () => {
    fc.assert(fc.property(fc.array(anyUsage, { minLength: 1, maxLength: 8 }), anyPrice, (parts, p) => {
      const sum = (key: keyof Usage) => parts.reduce((n, u) => n + u[key], 0);
      const whole: Usage = { inputTokens: sum('inputTokens'), outputTokens: sum('outputTokens'), reasoningTokens: sum('reasoningTokens'), cachedInputTokens: sum('cachedInputTokens'), cacheWriteTokens: sum('cacheWriteTokens') };
      const separately = parts.reduce((n, u) => n + computeCost(u, p).costMicros, 0n);
      const together = computeCost(whole, p);
      const picos = parts.reduce((n, u) => n + computeCost(u, p).breakdown.totalPicos, 0n);
      const drift = separately - together.costMicros;
      return picos === together.breakdown.totalPicos && drift <= BigInt(parts.length) && drift >= -BigInt(parts.length);
    }));
  });

  it('bills cached tokens at the cached rate only: moving tokens from uncached to cached changes the cost by the rate difference', () => {
    fc.assert(fc.property(anyUsage, anyPrice, (u, p) => {
      if (u.inputTokens - u.cachedInputTokens - u.cacheWriteTokens === 0) return true;
      const moved = { ...u, cachedInputTokens: u.cachedInputTokens + 1 };
      return computeCost(moved, p).breakdown.totalPicos - computeCost(u, p).breakdown.totalPicos === BigInt(p.cachedInputPerMTok - p.inputPerMTok);
    }));
  });
});
