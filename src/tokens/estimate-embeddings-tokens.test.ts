import { describe, expect, it } from 'vitest';
import { estimateEmbeddingsInputTokens } from './estimate-embeddings-tokens.ts';

describe('estimateEmbeddingsInputTokens', () => {
  it('counts strings with o200k and token arrays by length, special-token text as plain text', async () => {
    const one = await estimateEmbeddingsInputTokens('hello world');
    expect(one).toBe(2);
    expect(await estimateEmbeddingsInputTokens(['hello world', 'hello world'])).toBe(4);
    expect(await estimateEmbeddingsInputTokens([1, 2, 3])).toBe(3);
    expect(await estimateEmbeddingsInputTokens([[1, 2], [3]])).toBe(3);
    expect(await estimateEmbeddingsInputTokens('<|endoftext|>')).toBeGreaterThan(1);
  });
});
