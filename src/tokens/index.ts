export { countInputTokens, estimateInputTokens, IMAGE_TOKEN_ESTIMATE } from './estimate-input-tokens.ts';
export { estimateEmbeddingsInputTokens } from './estimate-embeddings-tokens.ts';
export { countOutputTokens } from './count-output-tokens.ts';
export type { OutputCount } from './count-output-tokens.ts';
export { approximateTokens, loadTokenCounter, preloadTokenCounter, tokenCounterNow, tokenizerPlace, tokenizerThreadReady } from './token-counter.ts';
export { configNeedsTokenizer } from './needs-tokenizer.ts';
export type { CountTokens, TokenCounter, TokenizerPlace } from './token-counter.ts';
