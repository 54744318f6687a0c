import type { Dialect } from '../types.ts';
import { encodeChatCompletion } from './encode-response.ts';
import { openAIErrorBody } from './error-body.ts';
import { OpenAIChatStreamEncoder } from './stream-encoder.ts';

export const openAIChatDialect: Dialect = {
  name: 'openai-chat',
  encodeError: openAIErrorBody,
  // openai-node throws `APIError` for a `data:` event that holds `error`.
  encodeStreamError: (error, requestId) => `data: ${openAIErrorBody(error, requestId)}\n\n`,
  keepAliveFrame: ': keep-alive\n\n',
  encodeResponse: (response) => JSON.stringify(encodeChatCompletion(response)),
  createStreamEncoder: (request) => new OpenAIChatStreamEncoder(request),
};
