import type { CanonicalEvent, FinishReason, Usage } from '../../canonical/index.ts';

/**
 * OpenAI Chat Completions wire → canonical events. Upstream bodies are read loosely: fields Moat does
 * not use are ignored here and still reach the client on the passthrough path.
 * Reference: https://platform.openai.com/docs/api-reference/chat/object and …/chat/streaming
 */

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

// https://platform.openai.com/docs/api-reference/chat/object#chat/object-choices
const FINISH_REASONS: Record<string, FinishReason> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool_calls',
  function_call: 'tool_calls',
  content_filter: 'content_filter',
};

export function mapFinishReason(reason: unknown): FinishReason {
  return (typeof reason === 'string' && FINISH_REASONS[reason]) || 'other';
}

export function decodeUsage(usage: unknown): Usage | null {
  if (!isObject(usage)) return null;
  const prompt = isObject(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
  const completion = isObject(usage.completion_tokens_details) ? usage.completion_tokens_details : {};
  return {
    inputTokens: num(usage.prompt_tokens),
    outputTokens: num(usage.completion_tokens),
    reasoningTokens: num(completion.reasoning_tokens),
    cachedInputTokens: num(prompt.cached_tokens),
    cacheWriteTokens: 0,
  };
}

/**
 * Self-hosted servers (vLLM, Ollama, DeepSeek) name the reasoning text `reasoning_content` or
 * `reasoning`; Ollama's native API and proxies copying it, `thinking`.
 */
function reasoningText(delta: Json): string {
  const text = delta.reasoning_content ?? delta.reasoning ?? delta.thinking;
  return typeof text === 'string' ? text : '';
}

/** One `chat.completion.chunk` (already JSON-parsed) → events. */
export function chatChunkToEvents(chunk: unknown, out: CanonicalEvent[] = []): CanonicalEvent[] {
  if (!isObject(chunk)) return out;
  if (isObject(chunk.error)) {
    const code = chunk.error.code;
    out.push({ type: 'error', message: String(chunk.error.message ?? 'upstream error'), ...(code != null ? { code: String(code) } : {}) });
    return out;
  }
  const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
  for (const choice of choices) {
    if (!isObject(choice)) continue;
    const index = num(choice.index);
    const delta = isObject(choice.delta) ? choice.delta : {};
    const reasoning = reasoningText(delta);
    if (reasoning) out.push({ type: 'reasoning-delta', choice: index, text: reasoning });
    if (typeof delta.content === 'string' && delta.content !== '') out.push({ type: 'text-delta', choice: index, text: delta.content });
    if (Array.isArray(delta.tool_calls)) {
      for (const call of delta.tool_calls) {
        if (!isObject(call)) continue;
        const fn = isObject(call.function) ? call.function : {};
        out.push({
          type: 'tool-call-delta',
          choice: index,
          index: num(call.index),
          ...(typeof call.id === 'string' ? { id: call.id } : {}),
          ...(typeof fn.name === 'string' ? { name: fn.name } : {}),
          argumentsDelta: typeof fn.arguments === 'string' ? fn.arguments : '',
        });
      }
    }
    if (choice.finish_reason != null) out.push({ type: 'finish', choice: index, reason: mapFinishReason(choice.finish_reason) });
  }
  const usage = decodeUsage(chunk.usage);
  if (usage) out.push({ type: 'usage', usage });
  return out;
}

export function chunkStartEvent(chunk: unknown): CanonicalEvent | null {
  if (!isObject(chunk) || typeof chunk.id !== 'string') return null;
  return { type: 'start', id: chunk.id, model: String(chunk.model ?? ''), created: num(chunk.created) };
}

/** A non-streamed `chat.completion` → the events a stream of it would carry. */
export function chatCompletionToEvents(completion: unknown): CanonicalEvent[] {
  const out: CanonicalEvent[] = [];
  if (!isObject(completion)) return out;
  const start = chunkStartEvent(completion);
  if (start) out.push(start);
  const choices = Array.isArray(completion.choices) ? completion.choices : [];
  for (const choice of choices) {
    if (!isObject(choice)) continue;
    const index = num(choice.index);
    const message = isObject(choice.message) ? choice.message : {};
    const reasoning = reasoningText(message);
    if (reasoning) out.push({ type: 'reasoning-delta', choice: index, text: reasoning });
    if (typeof message.content === 'string' && message.content !== '') out.push({ type: 'text-delta', choice: index, text: message.content });
    const calls = Array.isArray(message.tool_calls) ? message.tool_calls : [];
    calls.forEach((call, callIndex) => {
      if (!isObject(call)) return;
      const fn = isObject(call.function) ? call.function : {};
      out.push({
        type: 'tool-call-delta',
        choice: index,
        index: callIndex,
        ...(typeof call.id === 'string' ? { id: call.id } : {}),
        ...(typeof fn.name === 'string' ? { name: fn.name } : {}),
        argumentsDelta: typeof fn.arguments === 'string' ? fn.arguments : '',
      });
    });
    if (choice.finish_reason != null) out.push({ type: 'finish', choice: index, reason: mapFinishReason(choice.finish_reason) });
  }
  const usage = decodeUsage(completion.usage);
  if (usage) out.push({ type: 'usage', usage });
  return out;
}
