export { decodeChatRequest, validateChatRequest, validateEmbeddingsRequest } from './decode-request.ts';
export { parseJsonObject } from '../parse-json-object.ts';
export { openAIChatDialect } from './dialect.ts';
export { encodeChatCompletion, encodeUsage } from './encode-response.ts';
export { openAIErrorBody } from './error-body.ts';
export { OpenAIChatStreamEncoder } from './stream-encoder.ts';
export type { ChatRequestBody, EmbeddingsRequestBody } from './request-schema.ts';
