import { loadTokenCounter } from './token-counter.ts';

/**
 * Input tokens of an embeddings request: strings counted with o200k_base (loaded on first use, as
 * for chat), token-id arrays by their length.
 */
export async function estimateEmbeddingsInputTokens(input: string | readonly string[] | readonly number[] | readonly (readonly number[])[]): Promise<number> {
  const count = await loadTokenCounter();
  if (typeof input === 'string') return count(input);
  let total = 0;
  for (const item of input) {
    if (typeof item === 'number') total += 1;
    else if (typeof item === 'string') total += count(item);
    else total += item.length;
  }
  return total;
}
