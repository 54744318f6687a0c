export { ChatStreamDecoder } from './chat-stream-decoder.ts';
export { chatChunkToEvents, chatCompletionToEvents, chunkStartEvent, decodeUsage, mapFinishReason } from './chat-to-events.ts';
export { createOpenAIChatWire } from './chat-wire.ts';
export { createOpenAIProvider, createOpenAIWireProvider } from './create-openai-provider.ts';
export { decodeOpenAIError } from './decode-error.ts';
export { effortForBudget, encodeOpenAIRequest } from './encode-request.ts';
export { ChatUsageObserver, EmbeddingsObserver } from './usage-observer.ts';
export { stripUsageOnlyEvents } from './strip-usage-chunk.ts';
