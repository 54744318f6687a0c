import type { CanonicalEvent } from '../../canonical/index.ts';
import { decodeAnthropicUsage } from './decode-usage.ts';
import { isObject, str, type Json } from './loose-json.ts';
import { mapAnthropicStopReason } from './map-stop-reason.ts';

/**
 * A whole Anthropic Messages response (already JSON-parsed) → the events a stream of it carries, so
 * both fold to the same response. Read loosely: unknown block types (server tools, citations) are
 * skipped here and still reach an Anthropic client on the passthrough path.
 * https://docs.anthropic.com/en/api/messages
 *
 * Anthropic has no creation time; `created` is 0 and a dialect that needs one stamps its own.
 */
export function anthropicMessageToEvents(message: unknown): CanonicalEvent[] {
  const out: CanonicalEvent[] = [];
  if (!isObject(message)) return out;
  out.push({ type: 'start', id: str(message.id), model: str(message.model), created: 0 });
  let toolIndex = 0;
  const content = Array.isArray(message.content) ? message.content : [];
  for (const block of content) {
    if (!isObject(block)) continue;
    if (block.type === 'tool_use') out.push(toolUseEvent(block, toolIndex++));
    else blockEvents(block, out);
  }
  const finish = finishEvent(message);
  if (finish) out.push(finish);
  const usage = decodeAnthropicUsage(message.usage);
  if (usage) out.push({ type: 'usage', usage });
  return out;
}

function blockEvents(block: Json, out: CanonicalEvent[]): void {
  switch (block.type) {
    case 'text':
      if (str(block.text) !== '') out.push({ type: 'text-delta', choice: 0, text: str(block.text) });
      return;
    case 'thinking':
      if (str(block.thinking) !== '') out.push({ type: 'reasoning-delta', choice: 0, text: str(block.thinking) });
      if (str(block.signature) !== '') out.push({ type: 'reasoning-signature', choice: 0, signature: str(block.signature) });
      return;
    case 'redacted_thinking':
      out.push({ type: 'redacted-reasoning', choice: 0, data: str(block.data) });
      return;
  }
}

/** Arguments are `input` serialised compactly; a stream carries the model's own JSON text instead. */
function toolUseEvent(block: Json, index: number): CanonicalEvent {
  return {
    type: 'tool-call-delta',
    choice: 0,
    index,
    id: str(block.id),
    name: str(block.name),
    argumentsDelta: JSON.stringify(isObject(block.input) ? block.input : {}),
  };
}

/** The `finish` event for a message's `stop_reason` and `stop_sequence`; null while it has none. */
export function finishEvent(fields: Json): CanonicalEvent | null {
  if (fields.stop_reason == null) return null;
  const reason = mapAnthropicStopReason(fields.stop_reason);
  const stopSequence = fields.stop_reason === 'stop_sequence' && typeof fields.stop_sequence === 'string' ? fields.stop_sequence : undefined;
  return stopSequence === undefined ? { type: 'finish', choice: 0, reason } : { type: 'finish', choice: 0, reason, stopSequence };
}
