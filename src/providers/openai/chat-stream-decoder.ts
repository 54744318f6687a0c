import type { CanonicalEvent } from '../../canonical/index.ts';
import { SseDecoder } from '../../streaming/index.ts';
import { chatChunkToEvents, chunkStartEvent } from './chat-to-events.ts';

/**
 * An OpenAI Chat Completions SSE byte stream → canonical events, in order. Malformed event data is
 * reported as an `error` event rather than thrown, so observing a stream never breaks relaying it.
 */
export class ChatStreamDecoder {
  private readonly sse: SseDecoder;
  private readonly emit: (event: CanonicalEvent) => void;
  private started = false;
  done = false;

  constructor(emit: (event: CanonicalEvent) => void) {
    this.emit = emit;
    this.sse = new SseDecoder((message) => this.onData(message.data));
  }

  feed(bytes: Uint8Array): void {
    this.sse.feed(bytes);
  }

  end(): void {
    this.sse.end();
  }

  private onData(data: string): void {
    if (data === '[DONE]') {
      this.done = true;
      return;
    }
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      this.emit({ type: 'error', message: 'upstream sent an event that is not JSON', code: 'upstream_invalid_response' });
      return;
    }
    if (!this.started) {
      const start = chunkStartEvent(chunk);
      if (start) {
        this.started = true;
        this.emit(start);
      }
    }
    for (const event of chatChunkToEvents(chunk)) this.emit(event);
  }
}
