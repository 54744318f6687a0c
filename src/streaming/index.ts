export { lastEventEnd } from './event-boundary.ts';
export { SseDecoder } from './sse-decoder.ts';
export { WholeEventBuffer } from './whole-event-buffer.ts';
