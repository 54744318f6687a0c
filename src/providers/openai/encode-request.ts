import type { CanonicalMessage, CanonicalRequest, ContentPart, ImagePart, TextPart } from '../../canonical/index.ts';
import type { ModelConfig } from '../../config/index.ts';

/**
 * Canonical → OpenAI Chat Completions request, for clients of another API (translation).
 * Reference: https://platform.openai.com/docs/api-reference/chat/create
 */
export interface OpenAIEncodeOptions {
  /** OpenAI itself wants `max_completion_tokens`; many compatible servers know only `max_tokens`. */
  maxTokensField: 'max_completion_tokens' | 'max_tokens';
  /** Compatible servers such as vLLM take `top_k`; OpenAI does not. */
  acceptsTopK: boolean;
}

/**
 * Anthropic's thinking budget → OpenAI's `reasoning_effort` (docs/decisions/0007-reasoning-across-apis.md).
 * The thresholds sit between the budgets Moat maps each effort to in the other direction.
 */
export function effortForBudget(budgetTokens: number): string {
  if (budgetTokens < 4096) return 'low';
  if (budgetTokens < 16384) return 'medium';
  return 'high';
}

function imageUrl(part: ImagePart): Record<string, unknown> {
  const url = part.source.kind === 'url' ? part.source.url : `data:${part.source.mediaType};base64,${part.source.data}`;
  return { type: 'image_url', image_url: part.detail ? { url, detail: part.detail } : { url } };
}

/** A plain string when the parts are one text, else OpenAI's content-part array. */
function encodeContent(parts: ContentPart[]): string | Array<Record<string, unknown>> | null {
  const visible = parts.filter((p): p is TextPart | ImagePart => p.type === 'text' || p.type === 'image');
  if (visible.length === 0) return null;
  if (visible.every((p) => p.type === 'text')) return visible.map((p) => (p as TextPart).text).join('');
  return visible.map((p) => (p.type === 'text' ? { type: 'text', text: p.text } : imageUrl(p)));
}

/**
 * A canonical tool message → OpenAI `tool` messages. OpenAI tool messages hold text only, so images a
 * tool returned follow in a user message; an error result is marked in its text. Both are announced
 * in `warnings`.
 */
function encodeToolResults(message: CanonicalMessage, warnings: string[]): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const images: ImagePart[] = [];
  for (const part of message.parts) {
    if (part.type !== 'tool-result') continue;
    const text = part.content.filter((p) => p.type === 'text').map((p) => p.text).join('');
    const resultImages = part.content.filter((p) => p.type === 'image');
    images.push(...resultImages);
    if (resultImages.length > 0) warnings.push(`images of tool result '${part.toolCallId}' sent in a user message: OpenAI tool messages take only text`);
    if (part.isError) warnings.push(`tool result '${part.toolCallId}' marked as an error in its text: OpenAI has no error flag`);
    out.push({ role: 'tool', tool_call_id: part.toolCallId, content: part.isError ? `Error: ${text}` : text });
  }
  if (images.length > 0) out.push({ role: 'user', content: images.map(imageUrl) });
  return out;
}

function encodeMessages(message: CanonicalMessage, warnings: string[]): Array<Record<string, unknown>> {
  if (message.role === 'tool') return encodeToolResults(message, warnings);
  if (message.role === 'assistant') {
    const calls = message.parts.filter((p) => p.type === 'tool-call');
    // OpenAI rejects an assistant turn with neither content nor tool calls (e.g. one that held only reasoning).
    const out: Record<string, unknown> = { role: 'assistant', content: encodeContent(message.parts) ?? (calls.length > 0 ? null : '') };
    if (calls.length > 0) out.tool_calls = calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }));
    return [out];
  }
  const out: Record<string, unknown> = { role: message.role, content: encodeContent(message.parts) ?? '' };
  if (message.name) out.name = message.name;
  return [out];
}

export function encodeOpenAIRequest(
  request: CanonicalRequest,
  upstreamModel: string,
  model: ModelConfig,
  options: OpenAIEncodeOptions,
  warnings: string[] = [],
): Buffer {
  const o = request.options;
  const body: Record<string, unknown> = { model: upstreamModel, messages: request.messages.flatMap((m) => encodeMessages(m, warnings)) };
  if (o.maxOutputTokens !== undefined) body[model.reasoning ? 'max_completion_tokens' : options.maxTokensField] = o.maxOutputTokens;
  if (o.temperature !== undefined) body.temperature = o.temperature;
  if (o.topP !== undefined) body.top_p = o.topP;
  if (o.topK !== undefined) {
    if (options.acceptsTopK) body.top_k = o.topK;
    else warnings.push(`dropped 'top_k': the upstream has no such option`);
  }
  if (o.stop?.length) body.stop = o.stop;
  if (o.n !== undefined) body.n = o.n;
  if (o.user !== undefined) body.user = o.user;
  if (o.tools?.length) {
    body.tools = o.tools.map((t) => ({
      type: 'function',
      function: { name: t.name, ...(t.description !== undefined ? { description: t.description } : {}), parameters: t.parameters ?? { type: 'object', properties: {} } },
    }));
  }
  if (o.toolChoice) body.tool_choice = o.toolChoice.type === 'tool' ? { type: 'function', function: { name: o.toolChoice.name } } : o.toolChoice.type;
  if (o.parallelToolCalls !== undefined && o.tools?.length) body.parallel_tool_calls = o.parallelToolCalls;
  if (o.responseFormat) {
    body.response_format =
      o.responseFormat.type === 'json_schema'
        ? { type: 'json_schema', json_schema: { name: o.responseFormat.name ?? 'response', schema: o.responseFormat.schema ?? {}, ...(o.responseFormat.strict !== undefined ? { strict: o.responseFormat.strict } : {}) } }
        : { type: o.responseFormat.type };
  }
  const reasoning = o.reasoning;
  if (reasoning && reasoning.enabled !== false) {
    if (model.reasoning) body.reasoning_effort = reasoning.effort ?? (reasoning.budgetTokens !== undefined ? effortForBudget(reasoning.budgetTokens) : 'medium');
    else warnings.push(`dropped the reasoning request: model '${upstreamModel}' is not configured as a reasoning model`);
  }
  // Vetted by the reasoning veil (docs/veil.md); never overrides what Moat encoded itself.
  for (const [field, value] of Object.entries(request.upstreamExtras ?? {})) if (!(field in body)) body[field] = value;
  if (request.stream) {
    body.stream = true;
    // Always asked for: Moat needs usage to meter the request, whatever the client asked.
    body.stream_options = { include_usage: true };
  }
  return Buffer.from(JSON.stringify(body));
}
