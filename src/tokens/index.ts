export { estimateInputTokens, IMAGE_TOKEN_ESTIMATE } from './estimate-input-tokens.ts';
