import type { CanonicalChoice, CanonicalResponse, FinishReason, Usage } from '../../canonical/index.ts';

/**
 * Canonical → OpenAI Chat Completions wire, for answers that came from another API (translation).
 * Shapes: https://platform.openai.com/docs/api-reference/chat/object and …/chat/streaming
 */

// https://platform.openai.com/docs/api-reference/chat/object#chat/object-choices
const FINISH_REASONS: Record<FinishReason, string> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool_calls',
  content_filter: 'content_filter',
  other: 'stop',
};

export function encodeFinishReason(reason: FinishReason | null): string | null {
  return reason === null ? null : FINISH_REASONS[reason];
}

export function encodeUsage(usage: Usage): Record<string, unknown> {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens },
  };
}

/**
 * Reasoning an OpenAI-dialect client may send back in its next turn (docs/decisions/0007): signed
 * text blocks and encrypted blocks, in order. Null when there is nothing a later turn would need.
 */
export function reasoningDetails(choice: CanonicalChoice): Array<Record<string, unknown>> | null {
  const details: Array<Record<string, unknown>> = [];
  for (const part of choice.parts) {
    if (part.type === 'reasoning' && part.signature !== undefined) {
      details.push({ type: 'reasoning.text', text: part.text, signature: part.signature, index: details.length });
    } else if (part.type === 'redacted-reasoning') {
      details.push({ type: 'reasoning.encrypted', data: part.data, index: details.length });
    }
  }
  return details.length > 0 ? details : null;
}

function encodeMessage(choice: CanonicalChoice): Record<string, unknown> {
  const message: Record<string, unknown> = { role: 'assistant', content: choice.text === '' ? null : choice.text, refusal: null };
  if (choice.reasoning !== '') message.reasoning_content = choice.reasoning;
  const details = reasoningDetails(choice);
  if (details) message.reasoning_details = details;
  if (choice.toolCalls.length > 0) {
    message.tool_calls = choice.toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }));
  }
  return message;
}

/** The `chat.completion` object; the id keeps the upstream's so a request can be traced across both. */
export function encodeChatCompletion(response: CanonicalResponse): Record<string, unknown> {
  return {
    id: response.id,
    object: 'chat.completion',
    created: response.created,
    model: response.model,
    choices: response.choices.map((choice) => ({
      index: choice.index,
      message: encodeMessage(choice),
      logprobs: null,
      finish_reason: encodeFinishReason(choice.finishReason) ?? 'stop',
    })),
    ...(response.usage ? { usage: encodeUsage(response.usage) } : {}),
  };
}
