import { describe, expect, it } from 'vitest';
import { approximateTokens, loadTokenCounter, tokenCounterNow } from './token-counter.ts';

// Each test file has its own module registry: the tokenizer starts unloaded here.
describe('tokenCounterNow', () => {
  it('approximates (characters ÷ 4) until o200k_base has loaded, and starts loading it', async () => {
    const first = tokenCounterNow();
    expect(first.exact).toBe(false);
    expect(first.count('The capital of France is Paris.')).toBe(8);
    const countTokens = await loadTokenCounter();
    const next = tokenCounterNow();
    expect(next.exact).toBe(true);
    expect(next.count).toBe(countTokens);
    expect(next.count('The capital of France is Paris.')).toBe(7);
  });

  it('counts text that spells a special token as plain text, never throwing', async () => {
    const count = await loadTokenCounter();
    expect(count('hello <|endoftext|> world')).toBe(9);
  });

  it('rounds the approximation up', () => {
    expect([approximateTokens(''), approximateTokens('a'), approximateTokens('abcd'), approximateTokens('abcde')]).toEqual([0, 1, 1, 2]);
  });
});
