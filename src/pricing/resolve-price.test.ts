import { describe, expect, it } from 'vitest';
import { pricingConfigSchema } from './pricing-config.ts';
import { createPriceBook, PriceBook } from './resolve-price.ts';
import type { CatalogEntry, Price } from './types.ts';

const p = (input: number): Price => ({ inputPerMTok: input, outputPerMTok: input * 4, cachedInputPerMTok: input / 10, cacheWritePerMTok: input });
const source = { url: 'https://example.test/pricing', read: '2026-11-24', evidence: 'official' as const };
const entry = (model: string, effectiveFrom: string, input: number): CatalogEntry =>
  ({ providerType: 'anthropic', model, effectiveFrom, price: p(input), source });
const at = (iso: string) => new Date(iso);

describe('PriceBook.resolve', () => {
  const book = new PriceBook([
    entry('claude-x*', '2025-01-01', 1),
    entry('claude-x-1*', '2025-01-01', 2),
    entry('claude-x-1-20250101', '2025-01-01', 3),
    entry('claude-x-1-20250101', '2025-06-10', 4),
    entry('claude-x-1-20250101', '2025-06-10T12:00:00Z', 5),
  ]);
  const input = (model: string, when: string) => book.resolve('anthropic', model, at(when))?.price.inputPerMTok ?? null;

  it('picks the latest entry whose start is not after the date', () => {
    expect(input('claude-x-1-20250101', '2025-03-01')).toBe(3);
    expect(input('claude-x-1-20250101', '2025-06-10T00:00:00Z')).toBe(4);
    expect(input('claude-x-1-20250101', '2025-06-10T11:59:59.999Z')).toBe(4);
    expect(input('claude-x-1-20250101', '2025-06-10T12:00:00Z')).toBe(5);
    expect(input('claude-x-1-20250101', '2030-01-01')).toBe(5);
  });

  it('prefers the exact id, then the longest matching prefix', () => {
    expect(input('claude-x-1-20250101', '2025-02-01')).toBe(3);
    expect(input('claude-x-1', '2025-02-01')).toBe(2);
    expect(input('claude-x-2', '2025-02-01')).toBe(1);
  });

  it('is null before the first entry, for an unknown model, and for another provider type', () => {
    expect(input('claude-x-1-20250101', '2024-12-31T23:59:59Z')).toBeNull();
    expect(input('gpt-4o', '2025-02-01')).toBeNull();
    expect(book.resolve('openai', 'claude-x-1', at('2025-02-01'))).toBeNull();
  });

  it('says where the price came from', () => {
    expect(book.resolve('anthropic', 'claude-x-9', at('2025-02-01'))).toEqual({ price: p(1), origin: 'catalog', model: 'claude-x*', effectiveFrom: '2025-01-01', source });
  });
});

describe('the built-in catalog by date', () => {
  const book = new PriceBook();
  const price = (type: string, model: string, when: string) => book.resolve(type, model, at(when))?.price ?? null;

  it('o3 before and after the 2025-06-10 cut', () => {
    expect(price('openai', 'o3', '2025-06-09T23:59:59Z')).toMatchObject({ inputPerMTok: 10_000_000, cachedInputPerMTok: 2_500_000, outputPerMTok: 40_000_000 });
    expect(price('openai', 'o3-2025-04-16', '2025-06-10')).toMatchObject({ inputPerMTok: 2_000_000, cachedInputPerMTok: 500_000, outputPerMTok: 8_000_000 });
    expect(price('openai', 'o3', '2025-04-15')).toBeNull();
  });

  it('deepseek-chat across its price changes', () => {
    const miss = (when: string) => price('openai-compatible', 'deepseek-chat', when)?.inputPerMTok ?? null;
    expect(miss('2025-02-08T15:59:59Z')).toBeNull();
    expect(miss('2025-03-01')).toBe(270_000);
    expect(miss('2025-09-06')).toBe(560_000);
    expect(miss('2025-10-01')).toBe(280_000);
    expect(price('openai-compatible', 'deepseek-chat', '2026-04-26T12:15:00Z')).toMatchObject({ inputPerMTok: 140_000, cachedInputPerMTok: 2_800, outputPerMTok: 280_000 });
  });

  it('Anthropic dated snapshots and aliases through patterns', () => {
    expect(price('anthropic', 'claude-sonnet-4-5-20250929', '2026-01-01')).toEqual({ inputPerMTok: 3_000_000, outputPerMTok: 15_000_000, cacheWritePerMTok: 3_750_000, cachedInputPerMTok: 300_000 });
    expect(price('anthropic', 'claude-sonnet-4-5', '2026-01-01')?.inputPerMTok).toBe(3_000_000);
    expect(price('anthropic', 'claude-opus-4-1-20250805', '2026-01-01')?.outputPerMTok).toBe(75_000_000);
    expect(price('anthropic', 'claude-opus-4-6', '2026-03-01')?.outputPerMTok).toBe(25_000_000);
    expect(price('anthropic', 'claude-haiku-4-5-20251001', '2026-01-01')?.cachedInputPerMTok).toBe(100_000);
  });
});

describe('config overrides', () => {
  const config = pricingConfigSchema.parse({
    models: [
      { provider: 'openai', model: 'gpt-4.1*', input: '1.00', output: '4.00' },
      { provider: 'gpu-box', model: '*', gpu: { gpuHourUsd: '2.00', tokensPerSecond: 1000 } },
      { provider: 'gpu-box', model: 'llama-big', effectiveFrom: '2026-06-01', input: 0.5, output: 2 },
    ],
  });
  const book = createPriceBook(config);

  it('win over the catalog for the named provider, even over an exact catalog id', () => {
    const resolved = book.resolve('openai', 'gpt-4.1-2025-04-14', at('2026-01-01'), 'openai');
    expect(resolved).toMatchObject({ origin: 'config', model: 'gpt-4.1*', price: { inputPerMTok: 1_000_000, outputPerMTok: 4_000_000, cachedInputPerMTok: 1_000_000 } });
  });

  it('apply only to the provider they name', () => {
    expect(book.resolve('openai', 'gpt-4.1-2025-04-14', at('2026-01-01'), 'openai-eu')?.origin).toBe('catalog');
    expect(book.resolve('openai', 'gpt-4.1-2025-04-14', at('2026-01-01'))?.origin).toBe('catalog');
  });

  it('price a self-hosted model from its GPU cost, and date an override', () => {
    expect(book.resolve('openai-compatible', 'qwen-small', at('2026-01-01'), 'gpu-box')?.price).toEqual({
      outputPerMTok: 555_556, inputPerMTok: 138_889, cachedInputPerMTok: 138_889, cacheWritePerMTok: 138_889,
    });
    expect(book.resolve('openai-compatible', 'llama-big', at('2026-05-31'), 'gpu-box')?.price.outputPerMTok).toBe(555_556);
    expect(book.resolve('openai-compatible', 'llama-big', at('2026-06-01'), 'gpu-box')?.price.outputPerMTok).toBe(2_000_000);
  });
});
