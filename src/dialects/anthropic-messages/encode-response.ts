import type { CanonicalChoice, CanonicalRequest, CanonicalResponse } from '../../canonical/index.ts';
import { encodeAnthropicUsage } from './encode-usage.ts';
import { toAnthropicStopReason } from './map-stop-reason.ts';

/** Anthropic message ids start `msg_`; an upstream's own id (`chatcmpl-…`) is kept behind the prefix. */
export function anthropicMessageId(id: string): string {
  return id.startsWith('msg_') ? id : `msg_${id}`;
}

/** Anthropic's `input` is always an object; arguments that are not a JSON object become `{}`. */
export function toolInput(args: string): Record<string, unknown> {
  try {
    const input: unknown = JSON.parse(args);
    return typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Canonical parts → content blocks, in order (https://docs.anthropic.com/en/api/messages#response-content):
 *
 * | canonical part       | block                                               |
 * |----------------------|-----------------------------------------------------|
 * | `reasoning`          | `thinking {thinking, signature}` (signature '' if none) |
 * | `redacted-reasoning` | `redacted_thinking {data}`                          |
 * | `text`               | `text {text, citations: null}`; empty text omitted  |
 * | `tool-call`          | `tool_use {id, name, input, caller: direct}`        |
 *
 * Canonical tool calls are always client tools, which the model calls directly.
 */
export function encodeContentBlocks(parts: CanonicalChoice['parts']): Array<Record<string, unknown>> {
  const blocks: Array<Record<string, unknown>> = [];
  for (const part of parts) {
    switch (part.type) {
      case 'reasoning':
        blocks.push({ type: 'thinking', thinking: part.text, signature: part.signature ?? '' });
        break;
      case 'redacted-reasoning':
        blocks.push({ type: 'redacted_thinking', data: part.data });
        break;
      case 'text':
        if (part.text !== '') blocks.push({ type: 'text', text: part.text, citations: null });
        break;
      case 'tool-call':
        blocks.push({ type: 'tool_use', id: part.id, name: part.name, input: toolInput(part.arguments), caller: { type: 'direct' } });
        break;
    }
  }
  return blocks;
}

/**
 * A canonical response → the Anthropic `Message` JSON text. Only choice 0 exists in Anthropic's API.
 * `container`, `stop_details` and `diagnostics` are null: Moat has no containers, refusal details or
 * cache diagnostics to report.
 */
export function encodeMessagesResponse(response: CanonicalResponse, request: CanonicalRequest): string {
  const choice = response.choices[0];
  const stopReason = toAnthropicStopReason(choice?.finishReason ?? null, choice?.stopSequence ?? null);
  return JSON.stringify({
    id: anthropicMessageId(response.id),
    type: 'message',
    role: 'assistant',
    model: response.model || request.model,
    content: choice ? encodeContentBlocks(choice.parts) : [],
    container: null,
    stop_reason: stopReason,
    stop_sequence: stopReason === 'stop_sequence' ? choice!.stopSequence : null,
    stop_details: null,
    usage: encodeAnthropicUsage(response.usage, request),
    diagnostics: null,
  });
}
