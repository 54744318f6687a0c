import type { FinishReason } from '../../canonical/index.ts';

/**
 * Canonical finish reason → Anthropic `stop_reason`
 * (https://docs.anthropic.com/en/api/handling-stop-reasons):
 *
 * | canonical        | stop_reason                                   |
 * |------------------|-----------------------------------------------|
 * | `stop`           | `stop_sequence` if one matched, else `end_turn` |
 * | `length`         | `max_tokens`                                  |
 * | `tool_calls`     | `tool_use`                                    |
 * | `content_filter` | `refusal`                                     |
 * | `other`, none    | `end_turn`                                    |
 */
const STOP_REASONS: Readonly<Record<FinishReason, string>> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  content_filter: 'refusal',
  other: 'end_turn',
};

export function toAnthropicStopReason(reason: FinishReason | null, stopSequence: string | null): string {
  if (reason === 'stop' && stopSequence !== null) return 'stop_sequence';
  return reason === null ? 'end_turn' : STOP_REASONS[reason];
}
