import type { CanonicalRequest } from '../canonical/index.ts';
import { countInputTokens, estimateInputTokens, tokenCounterNow } from '../tokens/index.ts';

/**
 * The prompt's token count, made at most once per request however many stages ask for it (rate
 * limits and budgets both reserve on it), and only when one does.
 */
export function countOnce(count: () => Promise<number>): () => Promise<number> {
  let counted: Promise<number> | undefined;
  return () => (counted ??= count());
}

/** One request's prompt count for every stage that asks. */
export interface PromptTokens {
  /** Now, for routing (rules, context windows): o200k if loaded, else its approximation. */
  now(): number;
  /** Exact (waits for the tokenizer), for rate limits and budgets; reuses `now()` when that was exact. */
  exact(): Promise<number>;
}

export function promptTokens(request: CanonicalRequest): PromptTokens {
  let now: number | undefined;
  let exact: number | undefined;
  return {
    now() {
      if (now === undefined) {
        const counter = tokenCounterNow();
        now = countInputTokens(request, counter.count);
        if (counter.exact) exact = now;
      }
      return now;
    },
    exact: countOnce(async () => exact ?? estimateInputTokens(request)),
  };
}
