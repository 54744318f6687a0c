/**
 * Text that spells a special token (`<|endoftext|>`) is counted as the plain text it is to an API,
 * instead of making gpt-tokenizer throw — a count must never fail a request.
 */
export const AS_PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/** What the tokenizer thread posts once its tables are loaded. */
export const WORKER_READY = 'ready';
