import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMillionths } from './parse-usd.ts';
import { pricingConfigSchema } from './pricing-config.ts';

const parse = (model: Record<string, unknown>) => pricingConfigSchema.safeParse({ models: [{ provider: 'local', model: 'm', ...model }] });
const messages = (model: Record<string, unknown>): string[] => {
  const result = parse(model);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('pricingConfigSchema', () => {
  it('turns USD decimals, strings or numbers, into micro-USD exactly', () => {
    const result = pricingConfigSchema.parse({ models: [{ provider: 'local', model: 'm*', input: '2.50', output: 10, cachedInput: 0.1, cacheWrite: '0.000001' }] });
    expect(result.models[0]).toEqual({
      provider: 'local', model: 'm*', effectiveFrom: undefined, basis: 'per-token',
      price: { inputPerMTok: 2_500_000, outputPerMTok: 10_000_000, cachedInputPerMTok: 100_000, cacheWritePerMTok: 1 },
    });
    expect(pricingConfigSchema.parse({})).toEqual({ models: [] });
  });

  it('rejects 7 decimals instead of rounding', () => {
    expect(messages({ input: '0.1234567', output: 1 })).toEqual([
      'models.0.input: USD per million tokens has 7 decimals; at most 6 (one micro-dollar) are allowed, got 0.1234567',
    ]);
    expect(messages({ input: 1, output: 0.0000001 })).toEqual(['models.0.output: USD per million tokens has more than 6 decimals (one micro-dollar), got 1e-7']);
  });

  it('rejects negative prices', () => {
    expect(messages({ input: -1, output: '1' })).toEqual(['models.0.input: USD per million tokens must not be negative, got -1']);
    expect(messages({ input: '1', output: '-0.5' })).toEqual(['models.0.output: USD per million tokens must not be negative, got -0.5']);
    expect(messages({ gpu: { gpuHourUsd: '-2', tokensPerSecond: 10 } })).toEqual(['models.0.gpu.gpuHourUsd: gpuHourUsd must not be negative, got -2']);
  });

  it('asks for a complete price, or a GPU cost, not both', () => {
    expect(messages({ input: 1 })).toEqual(['models.0: needs `input` and `output` (USD per million tokens), or `gpu`']);
    expect(messages({ input: 1, output: 2, gpu: { gpuHourUsd: 1, tokensPerSecond: 1 } })).toEqual(['models.0: give either per-token prices (`input`, `output`, …) or `gpu`, not both']);
    expect(messages({ gpu: { gpuHourUsd: 1, tokensPerSecond: 0 } })).toEqual(['models.0.gpu.tokensPerSecond: tokensPerSecond must be greater than 0']);
  });

  it('checks the model pattern and the date', () => {
    expect(messages({ model: 'a*b', input: 1, output: 1 })).toEqual(['models.0.model: may hold one `*`, only at the end (a prefix pattern)']);
    expect(messages({ effectiveFrom: '2026-13-01', input: 1, output: 1 })).toEqual(['models.0.effectiveFrom: must be a UTC date such as 2026-01-31 or 2026-01-31T12:00:00Z']);
    expect(messages({ effectiveFrom: '2026-01-31T12:00:00+02:00', input: 1, output: 1 })).toHaveLength(1);
    expect(messages({ effectiveFrom: '2026-01-31T12:00:00Z', input: 1, output: 1 })).toEqual([]);
  });

  it('prices a GPU-hour: output = $/h ÷ tokens per hour, input = output ÷ outputWeight', () => {
    const [gpu] = pricingConfigSchema.parse({ models: [{ provider: 'local', model: '*', gpu: { gpuHourUsd: '3.60', tokensPerSecond: 500, outputWeight: 5 } }] }).models;
    // $3.60 / (500 × 3600 tokens) = $2 per MTok; input $0.40.
    expect(gpu?.price).toEqual({ outputPerMTok: 2_000_000, inputPerMTok: 400_000, cachedInputPerMTok: 400_000, cacheWritePerMTok: 400_000 });
    expect(gpu?.basis).toBe('gpu');
  });
});

describe('parseMillionths', () => {
  it('round-trips every value with at most 6 decimals', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: BigInt(Number.MAX_SAFE_INTEGER) }), (millionths) => {
      const text = `${millionths / 1_000_000n}.${String(millionths % 1_000_000n).padStart(6, '0')}`;
      const parsed = parseMillionths(text);
      return parsed.ok && parsed.value === Number(millionths);
    }));
  });
});
