import { ResponseFolder, type CanonicalEvent, type Usage } from '../canonical/index.ts';
import { ChatStreamDecoder, chatCompletionToEvents, decodeUsage } from '../providers/openai/index.ts';

/**
 * Reads a response while it is relayed, for what Moat itself needs (usage, time to first token).
 * It never changes the bytes the client gets.
 */
export interface ResponseObserver {
  /** Streamed body bytes, in order, as they are forwarded. */
  chunk(bytes: Buffer): void;
  /** The stream ended normally. */
  end(): void;
  /** A whole non-streamed body. */
  body(bytes: Buffer): void;
  readonly usage: Usage | null;
  readonly sawFirstToken: boolean;
}

function isToken(event: CanonicalEvent): boolean {
  return event.type === 'text-delta' || event.type === 'reasoning-delta' || event.type === 'tool-call-delta';
}

export class ChatObserver implements ResponseObserver {
  readonly folder = new ResponseFolder();
  sawFirstToken = false;
  private readonly decoder = new ChatStreamDecoder((event) => this.add(event));

  private add(event: CanonicalEvent): void {
    if (!this.sawFirstToken && isToken(event)) this.sawFirstToken = true;
    this.folder.add(event);
  }

  chunk(bytes: Buffer): void {
    this.decoder.feed(bytes);
  }

  end(): void {
    this.decoder.end();
  }

  body(bytes: Buffer): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch {
      return;
    }
    for (const event of chatCompletionToEvents(parsed)) this.add(event);
  }

  get usage(): Usage | null {
    return this.folder.response.usage;
  }
}

export class EmbeddingsObserver implements ResponseObserver {
  usage: Usage | null = null;
  readonly sawFirstToken = false;

  chunk(): void {}

  end(): void {}

  body(bytes: Buffer): void {
    try {
      this.usage = decodeUsage((JSON.parse(bytes.toString('utf8')) as { usage?: unknown }).usage);
    } catch {
      this.usage = null;
    }
  }
}
