import type { FinishReason } from '../../canonical/index.ts';

/**
 * Anthropic `stop_reason` → canonical finish reason.
 * https://docs.anthropic.com/en/api/handling-stop-reasons
 * `pause_turn` (a server tool paused a long turn; the client resends to continue) ends this response
 * normally, so it is `stop`. `model_context_window_exceeded` is a length limit like `max_tokens`.
 */
export const STOP_REASONS: Readonly<Record<string, FinishReason>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  pause_turn: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

export function mapAnthropicStopReason(reason: unknown): FinishReason {
  return (typeof reason === 'string' && Object.hasOwn(STOP_REASONS, reason) && STOP_REASONS[reason]) || 'other';
}
