export { EventBoundary } from './event-boundary.ts';
export { SseDecoder } from './sse-decoder.ts';
