export { decodeCountTokensRequest, decodeMessagesRequest, validateCountTokensRequest, validateMessagesRequest } from './decode-request.ts';
export { anthropicMessagesDialect } from './dialect.ts';
export { encodeMessagesResponse } from './encode-response.ts';
export { anthropicErrorBody, anthropicStreamErrorFrame } from './error-body.ts';
export { encodeAnthropicModelList, type ListedModel } from './model-list.ts';
export type { CountTokensRequestBody, MessagesRequestBody } from './request-schema.ts';
export { createAnthropicStreamEncoder } from './stream-encoder.ts';
