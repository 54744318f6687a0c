import type { Usage } from '../../canonical/index.ts';
import { SseDecoder } from '../../streaming/index.ts';
import type { ResponseObserver } from '../types.ts';
import { chatChunkToEvents } from './chat-to-events.ts';
import { readUsage } from './read-usage.ts';

const PROMPT_TOKENS = '"prompt_tokens"';

/**
 * Reads a relayed OpenAI-wire response for what Moat itself needs on the passthrough path — usage and
 * the time of the first token — without changing a byte the client gets. Stages that need the whole
 * answer take the translating path and fold the full event stream instead.
 */
export class ChatUsageObserver implements ResponseObserver {
  usage: Usage | null = null;
  sawFirstToken = false;
  private readonly sse = new SseDecoder((message) => this.onData(message.data));

  private onData(data: string): void {
    // Until the first token every event is read; after it, only events that can hold usage (a usage
    // object always names prompt_tokens).
    if (this.sawFirstToken && !data.includes(PROMPT_TOKENS)) return;
    if (data === '[DONE]') return;
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      return;
    }
    for (const event of chatChunkToEvents(chunk)) {
      if (event.type === 'usage') this.usage = event.usage;
      else if (event.type === 'text-delta' || event.type === 'reasoning-delta' || event.type === 'tool-call-delta') this.sawFirstToken = true;
    }
  }

  chunk(bytes: Buffer): void {
    // Chunks arrive in whole events, so one can be skipped without upsetting the parser. Once the
    // first token is seen, only a usage object (which always names prompt_tokens) is still wanted.
    if (this.sawFirstToken && !bytes.includes(PROMPT_TOKENS)) return;
    this.sse.feed(bytes);
  }

  end(): void {
    this.sse.end();
  }

  body(bytes: Buffer): void {
    this.usage = readUsage(bytes);
  }
}

export class EmbeddingsObserver implements ResponseObserver {
  usage: Usage | null = null;
  readonly sawFirstToken = false;

  chunk(): void {}

  end(): void {}

  body(bytes: Buffer): void {
    this.usage = readUsage(bytes);
  }
}
