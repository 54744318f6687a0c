import type { Usage } from '../../canonical/index.ts';
import { SseDecoder } from '../../streaming/index.ts';
import type { ResponseObserver } from '../types.ts';
import { decodeAnthropicUsage, mergeUsageFields } from './decode-usage.ts';
import { isObject, type Json } from './loose-json.ts';

/** Content that counts as the first token: any text, thinking or tool-argument piece. */
const FIRST_TOKEN_DELTAS = new Set(['text_delta', 'thinking_delta', 'input_json_delta']);

/**
 * Reads usage and the first token from an Anthropic response relayed untouched (Anthropic client →
 * Anthropic upstream). Only `message_start`, `message_delta` and, until the first token, the content
 * events are parsed; the bulk of a stream is matched by its SSE event name alone.
 * Usage is known from `message_start` on (input counts) and completed by `message_delta` (the
 * cumulative output count): `usageFinal` says which, for metering a stream cut in between.
 */
export class AnthropicUsageObserver implements ResponseObserver {
  usage: Usage | null = null;
  usageFinal = false;
  sawFirstToken = false;
  private usageFields: Json = {};
  private readonly sse = new SseDecoder((message) => this.onEvent(message.event, message.data));

  chunk(bytes: Buffer): void {
    this.sse.feed(bytes);
  }

  end(): void {
    this.sse.end();
  }

  body(bytes: Buffer): void {
    try {
      const parsed: unknown = JSON.parse(bytes.toString('utf8'));
      this.usage = isObject(parsed) ? decodeAnthropicUsage(parsed.usage) : null;
      this.usageFinal = this.usage !== null;
    } catch {
      this.usage = null;
    }
  }

  private onEvent(name: string | undefined, data: string): void {
    const wanted =
      name === undefined ||
      name === 'message_start' ||
      name === 'message_delta' ||
      (!this.sawFirstToken && (name === 'content_block_start' || name === 'content_block_delta'));
    if (!wanted) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      return;
    }
    if (!isObject(parsed)) return;
    switch (parsed.type) {
      case 'message_start':
        if (isObject(parsed.message)) this.takeUsage(parsed.message.usage);
        return;
      case 'message_delta':
        this.takeUsage(parsed.usage);
        if (isObject(parsed.usage) && typeof parsed.usage.output_tokens === 'number') this.usageFinal = true;
        return;
      case 'content_block_start':
        if (isObject(parsed.content_block) && parsed.content_block.type === 'tool_use') this.sawFirstToken = true;
        return;
      case 'content_block_delta':
        if (isObject(parsed.delta) && FIRST_TOKEN_DELTAS.has(String(parsed.delta.type))) this.sawFirstToken = true;
        return;
    }
  }

  private takeUsage(update: unknown): void {
    if (!isObject(update)) return;
    this.usageFields = mergeUsageFields(this.usageFields, update);
    this.usage = decodeAnthropicUsage(this.usageFields);
  }
}
