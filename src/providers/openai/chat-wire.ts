import type { ChatWire } from '../types.ts';
import { ChatStreamDecoder } from './chat-stream-decoder.ts';
import { chatCompletionToEvents } from './chat-to-events.ts';
import { encodeOpenAIRequest, type OpenAIEncodeOptions } from './encode-request.ts';
import { ChatUsageObserver } from './usage-observer.ts';

/** The Chat Completions endpoint as OpenAI and the servers that copy it speak it. */
export function createOpenAIChatWire(encodeOptions: OpenAIEncodeOptions): ChatWire {
  return {
    path: '/chat/completions',
    encodeRequest: (request, upstreamModel, model, warnings) => encodeOpenAIRequest(request, upstreamModel, model, encodeOptions, warnings),
    decodeResponse: (body) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        return [{ type: 'error', message: 'The upstream answered with a body that is not JSON.', code: 'upstream_invalid_response' }];
      }
      return chatCompletionToEvents(parsed);
    },
    createStreamDecoder: (emit) => new ChatStreamDecoder(emit),
    createObserver: () => new ChatUsageObserver(),
    terminalMarker: 'data: [DONE]',
  };
}
