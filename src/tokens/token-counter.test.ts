import { describe, expect, it } from 'vitest';
import { approximateTokens, loadTokenCounter, tokenCounterNow, tokenizerPlace, tokenizerThreadReady } from './token-counter.ts';

const TEXTS = ['The capital of France is Paris.', 'hello <|endoftext|> world', '', 'Grüße aus Köln — 東京 🚀', 'x'.repeat(5000)];

// Each test file has its own module registry: the tokenizer starts unloaded here. The tests run in order.
describe('tokenCounterNow', () => {
  it('approximates (characters ÷ 4) until o200k_base is ready, and starts loading it in a thread of its own', async () => {
    const first = tokenCounterNow();
    expect(first.exact).toBe(false);
    expect(first.count('The capital of France is Paris.')).toBe(8);
    expect(tokenizerPlace()).toBe('none');
    await tokenizerThreadReady();
    expect(tokenizerPlace()).toBe('thread');
    const next = tokenCounterNow();
    expect(next.exact).toBe(true);
    expect(next.count('The capital of France is Paris.')).toBe(7);
  });

  it('counts in the thread exactly as in this thread, special-token text as plain text', async () => {
    const inThread = TEXTS.map((text) => tokenCounterNow().count(text));
    const count = await loadTokenCounter();
    expect(tokenizerPlace()).toBe('here');
    expect(inThread).toEqual(TEXTS.map(count));
    expect(count('hello <|endoftext|> world')).toBe(9);
  });

  it('counts here once the tables are loaded here', () => {
    const now = tokenCounterNow();
    expect(now.exact).toBe(true);
    expect(now.count('The capital of France is Paris.')).toBe(7);
  });

  it('rounds the approximation up', () => {
    expect([approximateTokens(''), approximateTokens('a'), approximateTokens('abcd'), approximateTokens('abcde')]).toEqual([0, 1, 1, 2]);
  });
});
