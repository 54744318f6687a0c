export { chatChunkToEvents, chatCompletionToEvents, chunkStartEvent, decodeUsage, mapFinishReason } from './chat-to-events.ts';
export { createOpenAIProvider, createOpenAIWireProvider } from './create-openai-provider.ts';
export { decodeOpenAIError } from './decode-error.ts';
export { ChatStreamDecoder } from './chat-stream-decoder.ts';
