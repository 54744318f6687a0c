import { readFile } from 'node:fs/promises';
import { tokenCounterNow, type CountTokens } from '../tokens/index.ts';
import { tokenizerFromJson } from './tokenizer-json.ts';

/**
 * Counts reasoning an upstream did not count (vLLM and llama.cpp often report no or zero
 * `reasoning_tokens`): with the model's `tokenizer.json` when `veil.tokenizers` names one, else with
 * Moat's general counter (o200k_base, or characters ÷ 4 while it loads) — docs/veil.md.
 */
const tokenizers = new Map<string, CountTokens>();
const loaded = new Map<string, string>();

/** `models[].name` → its counter; the counter of a model without one is the general counter. */
export function reasoningTokenCounter(modelName: string): CountTokens {
  return tokenizers.get(modelName) ?? tokenCounterNow().count;
}

export function registerTokenizer(modelName: string, count: CountTokens): void {
  tokenizers.set(modelName, count);
}

/**
 * Loads the configured tokenizer files not loaded yet (a path already loaded for a model is kept
 * across reloads). Returns one problem line per file that failed; those models keep the general counter.
 */
export async function loadTokenizers(paths: Readonly<Record<string, string>>): Promise<string[]> {
  const problems: string[] = [];
  await Promise.all(
    Object.entries(paths).map(async ([model, path]) => {
      if (loaded.get(model) === path) return;
      try {
        registerTokenizer(model, tokenizerFromJson(await readFile(path, 'utf8')));
        loaded.set(model, path);
      } catch (error) {
        problems.push(`veil.tokenizers.${model}: ${path}: ${(error as Error).message}`);
      }
    }),
  );
  return problems;
}

/** The upstream's count when it gave one above zero, else the text counted; never more than the output. */
export function reasoningTokensFor(upstreamCount: number, outputTokens: number, text: string, count: CountTokens): number {
  if (upstreamCount > 0 || text === '') return upstreamCount;
  const counted = count(text);
  return outputTokens > 0 ? Math.min(counted, outputTokens) : counted;
}
