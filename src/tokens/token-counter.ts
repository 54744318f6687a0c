export type CountTokens = (text: string) => number;

/** A way to count tokens now, and whether it is the o200k_base tokenizer or the approximation. */
export interface TokenCounter {
  count: CountTokens;
  /** true: o200k_base (a `tokenizer` count); false: characters ÷ 4 (an `estimate`). */
  exact: boolean;
}

let loaded: CountTokens | null = null;
let loading: Promise<CountTokens> | null = null;

/**
 * Text that spells a special token (`<|endoftext|>`) is counted as the plain text it is to an API,
 * instead of making gpt-tokenizer throw — a count must never fail a request.
 */
const AS_PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/**
 * The o200k_base tables cost ~70 MB of RSS and ~0.4 s to load (a ~0.25 s pause of the event loop,
 * measured on Node 24), so they are loaded on the first count, not at start: a gateway whose
 * upstreams always report usage never needs them (docs/metering.md).
 */
export function loadTokenCounter(): Promise<CountTokens> {
  loading ??= import('gpt-tokenizer/encoding/o200k_base').then((module) => {
    const count: CountTokens = (text) => module.countTokens(text, AS_PLAIN_TEXT);
    loaded = count;
    return count;
  });
  return loading;
}

/**
 * OpenAI's rule of thumb for English text (~4 characters a token), for the moment before the
 * tokenizer has loaded. https://help.openai.com/en/articles/4936856-what-are-tokens-and-how-to-count-them
 */
export const approximateTokens: CountTokens = (text) => Math.ceil(text.length / 4);

/**
 * For counting synchronously (metering runs just before a response's last bytes): the tokenizer if it
 * is loaded; otherwise the approximation, and the tokenizer starts loading for the next request.
 */
export function tokenCounterNow(): TokenCounter {
  if (loaded) return { count: loaded, exact: true };
  preloadTokenCounter();
  return { count: approximateTokens, exact: false };
}

/** Starts loading the tokenizer in the background (see `configNeedsTokenizer`). */
export function preloadTokenCounter(): void {
  void loadTokenCounter().catch(() => {
    // A failed load is retried on the next count; until then counts stay approximate.
    loading = null;
  });
}
