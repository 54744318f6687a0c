import { describe, expect, it } from 'vitest';
import { countOnce, promptTokens } from './prompt-tokens.ts';

describe('countOnce', () => {
  it('counts on first ask only, and not at all when nobody asks', async () => {
    let counts = 0;
    const count = countOnce(async () => ++counts * 100);
    expect(counts).toBe(0);
    expect(await Promise.all([count(), count()])).toEqual([100, 100]);
    expect(await count()).toBe(100);
    expect(counts).toBe(1);
  });
});

describe('promptTokens', () => {
  it('gives routing a count now and the exact count to the limits, counting once when the tokenizer is loaded', async () => {
    const { loadTokenCounter } = await import('../tokens/index.ts');
    await loadTokenCounter();
    const request = { model: 'm', stream: false, includeUsage: false, options: {}, messages: [{ role: 'user' as const, parts: [{ type: 'text' as const, text: 'How many tokens is this sentence?' }] }] };
    const { estimateInputTokens } = await import('../tokens/index.ts');
    const expected = await estimateInputTokens(request);
    const counts = promptTokens(request);
    expect(counts.now()).toBe(expected);
    expect(await counts.exact()).toBe(expected);
  });
});
