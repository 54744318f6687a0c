export { decodeChatRequest, formatParam, parseJsonObject, validateChatRequest, validateEmbeddingsRequest } from './decode-request.ts';
export { openAIErrorBody } from './error-body.ts';
export type { ChatRequestBody, EmbeddingsRequestBody } from './request-schema.ts';
