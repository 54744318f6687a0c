import type { CanonicalEvent, Usage } from '../../canonical/index.ts';
import { SseDecoder } from '../../streaming/index.ts';
import type { StreamDecoder } from '../types.ts';
import { finishEvent } from './decode-response.ts';
import { decodeAnthropicUsage, mergeUsageFields } from './decode-usage.ts';
import { isObject, num, str, type Json } from './loose-json.ts';

interface BlockState {
  type: string;
  /** For tool_use blocks: the position among the message's tool calls. */
  toolIndex: number;
  sentArguments: boolean;
  /** A signature that came with content_block_start rather than in a signature_delta. */
  startSignature: string;
  signed: boolean;
}

/**
 * An Anthropic Messages SSE stream → canonical events, giving the same fold as
 * `anthropicMessageToEvents` on the final message. `finish` and `usage` are emitted once, at
 * `message_stop`, in that order, as the non-stream decode emits them last.
 * https://docs.anthropic.com/en/docs/build-with-claude/streaming
 *
 * Tool arguments are the model's own JSON text (`partial_json` pieces), which may differ in whitespace
 * from the non-stream `JSON.stringify(input)`; they parse to the same value. A tool call whose stream
 * carried no argument text gets `{}`, as its non-stream `input` would.
 * Malformed event data becomes an `error` event rather than a throw: observing never breaks relaying.
 */
export class AnthropicStreamDecoder implements StreamDecoder {
  private readonly sse: SseDecoder;
  private readonly emit: (event: CanonicalEvent) => void;
  private readonly blocks = new Map<number, BlockState>();
  private nextToolIndex = 0;
  private usageFields: Json = {};
  private stopFields: Json = {};
  /** True once `message_stop` arrived: the stream is complete. */
  done = false;

  constructor(emit: (event: CanonicalEvent) => void) {
    this.emit = emit;
    this.sse = new SseDecoder((message) => this.onEvent(message.event, message.data));
  }

  feed(bytes: Uint8Array): void {
    this.sse.feed(bytes);
  }

  /** The usage known so far (input counts from `message_start` on), for metering a stream cut short. */
  get partialUsage(): Usage | null {
    return Object.keys(this.usageFields).length === 0 ? null : decodeAnthropicUsage(this.usageFields);
  }

  end(): void {
    this.sse.end();
  }

  private onEvent(name: string | undefined, data: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      this.emit({ type: 'error', message: 'upstream sent an event that is not JSON', code: 'upstream_invalid_response' });
      return;
    }
    if (!isObject(parsed)) return;
    const type = typeof parsed.type === 'string' ? parsed.type : name;
    switch (type) {
      case 'message_start': {
        const message = isObject(parsed.message) ? parsed.message : {};
        this.emit({ type: 'start', id: str(message.id), model: str(message.model), created: 0 });
        this.usageFields = mergeUsageFields({}, message.usage);
        return;
      }
      case 'content_block_start':
        return this.blockStart(num(parsed.index), isObject(parsed.content_block) ? parsed.content_block : {});
      case 'content_block_delta':
        return this.blockDelta(num(parsed.index), isObject(parsed.delta) ? parsed.delta : {});
      case 'content_block_stop':
        return this.blockStop(num(parsed.index));
      case 'message_delta':
        if (isObject(parsed.delta)) this.stopFields = { ...this.stopFields, ...parsed.delta };
        this.usageFields = mergeUsageFields(this.usageFields, parsed.usage);
        return;
      case 'message_stop': {
        this.done = true;
        const finish = finishEvent(this.stopFields);
        if (finish) this.emit(finish);
        const usage = decodeAnthropicUsage(this.usageFields);
        if (usage) this.emit({ type: 'usage', usage });
        return;
      }
      case 'error': {
        const error = isObject(parsed.error) ? parsed.error : {};
        const code = str(error.type);
        this.emit({ type: 'error', message: str(error.message) || 'upstream error', ...(code ? { code } : {}) });
        return;
      }
    }
  }

  private blockStart(index: number, block: Json): void {
    const state: BlockState = { type: str(block.type), toolIndex: -1, sentArguments: false, startSignature: '', signed: false };
    this.blocks.set(index, state);
    switch (state.type) {
      case 'tool_use':
        state.toolIndex = this.nextToolIndex++;
        this.emit({ type: 'tool-call-delta', choice: 0, index: state.toolIndex, id: str(block.id), name: str(block.name), argumentsDelta: '' });
        return;
      case 'redacted_thinking':
        this.emit({ type: 'redacted-reasoning', choice: 0, data: str(block.data) });
        return;
      case 'text':
        if (str(block.text) !== '') this.emit({ type: 'text-delta', choice: 0, text: str(block.text) });
        return;
      case 'thinking':
        if (str(block.thinking) !== '') this.emit({ type: 'reasoning-delta', choice: 0, text: str(block.thinking) });
        state.startSignature = str(block.signature);
        return;
    }
  }

  private blockDelta(index: number, delta: Json): void {
    const state = this.blocks.get(index);
    switch (delta.type) {
      case 'text_delta':
        if (str(delta.text) !== '') this.emit({ type: 'text-delta', choice: 0, text: str(delta.text) });
        return;
      case 'thinking_delta':
        if (str(delta.thinking) !== '') this.emit({ type: 'reasoning-delta', choice: 0, text: str(delta.thinking) });
        return;
      case 'signature_delta':
        if (str(delta.signature) === '') return;
        if (state) state.signed = true;
        this.emit({ type: 'reasoning-signature', choice: 0, signature: str(delta.signature) });
        return;
      case 'input_json_delta':
        if (state?.type !== 'tool_use' || str(delta.partial_json) === '') return;
        state.sentArguments = true;
        this.emit({ type: 'tool-call-delta', choice: 0, index: state.toolIndex, argumentsDelta: str(delta.partial_json) });
        return;
    }
  }

  private blockStop(index: number): void {
    const state = this.blocks.get(index);
    if (state?.type === 'tool_use' && !state.sentArguments) {
      this.emit({ type: 'tool-call-delta', choice: 0, index: state.toolIndex, argumentsDelta: '{}' });
    } else if (state?.type === 'thinking' && !state.signed && state.startSignature !== '') {
      this.emit({ type: 'reasoning-signature', choice: 0, signature: state.startSignature });
    }
  }
}
