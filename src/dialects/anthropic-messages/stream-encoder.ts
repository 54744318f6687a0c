import type { CanonicalEvent, CanonicalRequest, FinishReason, Usage } from '../../canonical/index.ts';
import { ERROR_CATALOGUE, MoatError, type ErrorCode } from '../../errors/index.ts';
import type { StreamEncoder } from '../types.ts';
import { anthropicMessageId } from './encode-response.ts';
import { encodeAnthropicUsage } from './encode-usage.ts';
import { anthropicStreamErrorFrame } from './error-body.ts';
import { toAnthropicStopReason } from './map-stop-reason.ts';

/** Anthropic's ping, byte for byte (note the space): sent once after the first block starts, and as keep-alive. */
export const ANTHROPIC_PING_FRAME = 'event: ping\ndata: {"type": "ping"}\n\n';

const frame = (event: string, data: unknown): string => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

type OpenBlock = { kind: 'text' | 'thinking' | 'redacted'; index: number } | { kind: 'tool'; index: number; toolIndex: number };

/** Error types an Anthropic upstream names in its own `event: error` frames. */
const ANTHROPIC_ERROR_TYPES = new Set([
  'invalid_request_error',
  'authentication_error',
  'billing_error',
  'permission_error',
  'not_found_error',
  'request_too_large',
  'rate_limit_error',
  'api_error',
  'timeout_error',
  'overloaded_error',
]);

/** An upstream's mid-stream error event → Anthropic's `event: error` frame. */
function upstreamErrorFrame(message: string, code: string | undefined): string {
  if (code !== undefined && Object.hasOwn(ERROR_CATALOGUE, code)) return anthropicStreamErrorFrame(new MoatError(code as ErrorCode, message), null);
  const type = code !== undefined && ANTHROPIC_ERROR_TYPES.has(code) ? code : 'api_error';
  return frame('error', { type: 'error', error: { type, message } });
}

/**
 * Canonical events → Anthropic's SSE sequence (https://docs.anthropic.com/en/docs/build-with-claude/streaming):
 * `message_start`, then per block `content_block_start` / `content_block_delta`… / `content_block_stop`
 * (one `ping` after the first start), then at `end()` `message_delta` (stop reason, final usage) and
 * `message_stop`. Only choice 0 is encoded: Anthropic has no `n`.
 *
 * Blocks are sequential: an event of another kind, or another tool's first delta, closes the open
 * block. A `reasoning-signature` ends its thinking block, as it ends the canonical reasoning part.
 * A late argument delta for a tool whose block has closed (upstreams that interleave tool calls) is
 * sent to that block's index rather than lost.
 *
 * Usage may arrive only at the end (OpenAI upstreams): `message_start` then carries what is known
 * (zeros), and `message_delta` carries the final figures, input and cache counters included, which the
 * SDK's accumulator takes over those of `message_start`.
 */
class AnthropicStreamEncoder implements StreamEncoder {
  private readonly request: CanonicalRequest;
  private started = false;
  private pinged = false;
  private failed = false;
  private open: OpenBlock | null = null;
  private nextIndex = 0;
  /** Block index of each tool call, by canonical tool index. */
  private readonly toolBlocks = new Map<number, number>();
  private usage: Usage | null = null;
  private finishReason: FinishReason | null = null;
  private stopSequence: string | null = null;

  constructor(request: CanonicalRequest) {
    this.request = request;
  }

  push(event: CanonicalEvent): string {
    if (this.failed) return '';
    switch (event.type) {
      case 'start':
        return this.messageStart(event.id, event.model);
      case 'usage':
        this.usage = event.usage;
        return '';
      case 'error':
        this.failed = true;
        return upstreamErrorFrame(event.message, event.code);
    }
    if (event.choice !== 0) return '';
    switch (event.type) {
      case 'text-delta':
        // An empty delta still ends the part before it, as in the fold, but opens no (empty) text block.
        if (event.text === '') return this.open?.kind === 'text' ? '' : this.closeBlock();
        return this.ensureBlock('text') + this.delta({ type: 'text_delta', text: event.text });
      case 'reasoning-delta': {
        const out = this.ensureBlock('thinking');
        return event.text === '' ? out : out + this.delta({ type: 'thinking_delta', thinking: event.text });
      }
      case 'reasoning-signature': {
        let out = this.ensureBlock('thinking');
        if (event.signature !== '') out += this.delta({ type: 'signature_delta', signature: event.signature });
        return out + this.closeBlock();
      }
      case 'redacted-reasoning':
        return this.openBlock({ type: 'redacted_thinking', data: event.data }, { kind: 'redacted', index: -1 }) + this.closeBlock();
      case 'tool-call-delta':
        return this.toolDelta(event);
      case 'finish':
        this.finishReason = event.reason;
        this.stopSequence = event.stopSequence ?? null;
        return '';
    }
  }

  end(): string {
    if (this.failed) return '';
    const usage = encodeAnthropicUsage(this.usage, this.request);
    const { output_tokens_details: details, ...counts } = usage;
    const stopReason = toAnthropicStopReason(this.finishReason, this.stopSequence);
    return (
      this.messageStart('', '') +
      this.closeBlock() +
      frame('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: stopReason, stop_sequence: stopReason === 'stop_sequence' ? this.stopSequence : null, stop_details: null, container: null },
        usage: this.usage ? { ...counts, ...(details ? { output_tokens_details: details } : {}) } : { output_tokens: 0 },
      }) +
      frame('message_stop', { type: 'message_stop' })
    );
  }

  /** `message_start` once: on the `start` event, or before whatever comes first without one. */
  private messageStart(id: string, model: string): string {
    if (this.started) return '';
    this.started = true;
    return frame('message_start', {
      type: 'message_start',
      message: {
        id: anthropicMessageId(id),
        type: 'message',
        role: 'assistant',
        model: model || this.request.model,
        content: [],
        container: null,
        stop_reason: null,
        stop_sequence: null,
        stop_details: null,
        // Thinking tokens are not known yet; the SDK keeps the start's counters unless message_delta has them.
        usage: { ...encodeAnthropicUsage(this.usage, this.request), output_tokens_details: null },
        diagnostics: null,
      },
    });
  }

  /** Closes the open block and starts the next one (after `message_start` if none went out yet). */
  private openBlock(block: Record<string, unknown>, open: OpenBlock): string {
    let out = this.messageStart('', '') + this.closeBlock();
    const index = this.nextIndex++;
    this.open = { ...open, index };
    out += frame('content_block_start', { type: 'content_block_start', index, content_block: block });
    if (!this.pinged) {
      this.pinged = true;
      out += ANTHROPIC_PING_FRAME;
    }
    return out;
  }

  private closeBlock(): string {
    if (!this.open) return '';
    const index = this.open.index;
    this.open = null;
    return frame('content_block_stop', { type: 'content_block_stop', index });
  }

  private ensureBlock(kind: 'text' | 'thinking'): string {
    if (this.open?.kind === kind) return '';
    const block = kind === 'text' ? { type: 'text', text: '', citations: null } : { type: 'thinking', thinking: '', signature: '' };
    return this.openBlock(block, { kind, index: -1 });
  }

  private delta(delta: Record<string, unknown>, index = this.open!.index): string {
    return frame('content_block_delta', { type: 'content_block_delta', index, delta });
  }

  private toolDelta(event: Extract<CanonicalEvent, { type: 'tool-call-delta' }>): string {
    let out = '';
    let index: number;
    if (this.open?.kind === 'tool' && this.open.toolIndex === event.index) {
      index = this.open.index;
    } else if (this.toolBlocks.has(event.index)) {
      index = this.toolBlocks.get(event.index)!;
    } else {
      const block = { type: 'tool_use', id: event.id ?? '', name: event.name ?? '', input: {}, caller: { type: 'direct' } };
      out = this.openBlock(block, { kind: 'tool', index: -1, toolIndex: event.index });
      index = this.open!.index;
      this.toolBlocks.set(event.index, index);
    }
    if (event.argumentsDelta !== '') out += this.delta({ type: 'input_json_delta', partial_json: event.argumentsDelta }, index);
    return out;
  }
}

export function createAnthropicStreamEncoder(request: CanonicalRequest): StreamEncoder {
  return new AnthropicStreamEncoder(request);
}
