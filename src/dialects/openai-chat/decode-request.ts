import type { z } from 'zod';
import type { CanonicalMessage, CanonicalRequest, ContentPart } from '../../canonical/index.ts';
import { MoatError } from '../../errors/index.ts';
import { chatRequestSchema, embeddingsRequestSchema, type ChatRequestBody, type EmbeddingsRequestBody } from './request-schema.ts';

/** `messages[0].content` — the form OpenAI uses for `param` in its errors. */
export function formatParam(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out ? `.${String(part)}` : String(part);
  return out;
}

function toInvalidRequest(error: z.ZodError): MoatError {
  const issue = error.issues[0]!;
  const param = formatParam(issue.path);
  const detail = issue.code === 'invalid_type' && issue.input === undefined ? `is required (expected ${issue.expected})` : issue.message;
  return new MoatError('invalid_request', `Invalid request: '${param || 'body'}' ${detail}.`, { param: param || null });
}

export function parseJsonObject(body: Buffer): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new MoatError('invalid_json', `The body is not valid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new MoatError('invalid_json', 'The body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

export function validateChatRequest(wire: unknown): ChatRequestBody {
  const result = chatRequestSchema.safeParse(wire);
  if (!result.success) throw toInvalidRequest(result.error);
  return result.data;
}

export function validateEmbeddingsRequest(wire: unknown): EmbeddingsRequestBody {
  const result = embeddingsRequestSchema.safeParse(wire);
  if (!result.success) throw toInvalidRequest(result.error);
  return result.data;
}

type WireContent = ChatRequestBody['messages'][number]['content'];

function decodeContent(content: WireContent): ContentPart[] {
  if (content === null || content === undefined) return [];
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content.map((part): ContentPart => {
    if (part.type === 'text' && typeof part.text === 'string') return { type: 'text', text: part.text };
    if (part.type === 'image_url' && typeof part.image_url === 'object' && part.image_url !== null) {
      const image = part.image_url as { url: string; detail?: string };
      return image.detail ? { type: 'image', url: image.url, detail: image.detail } : { type: 'image', url: image.url };
    }
    return { type: 'other', kind: part.type };
  });
}

function decodeMessage(message: ChatRequestBody['messages'][number]): CanonicalMessage {
  if (message.role === 'tool') {
    const text = decodeContent(message.content).map((p) => (p.type === 'text' ? p.text : '')).join('');
    return { role: 'tool', parts: [{ type: 'tool-result', toolCallId: message.tool_call_id, content: text }] };
  }
  if (message.role === 'function') {
    return { role: 'tool', parts: [{ type: 'tool-result', toolCallId: message.name, content: message.content ?? '' }] };
  }
  const parts = decodeContent(message.content);
  if (message.role === 'assistant' && message.tool_calls) {
    for (const call of message.tool_calls) parts.push({ type: 'tool-call', id: call.id, name: call.function.name, arguments: call.function.arguments });
  }
  return message.name ? { role: message.role, parts, name: message.name } : { role: message.role, parts };
}

/** A validated Chat Completions body → the canonical request the pipeline's stages read. */
export function decodeChatRequest(body: ChatRequestBody): CanonicalRequest {
  const stop = body.stop == null ? undefined : typeof body.stop === 'string' ? [body.stop] : body.stop;
  const maxOutputTokens = body.max_completion_tokens ?? body.max_tokens ?? undefined;
  const toolNames = body.tools?.flatMap((t) => (t.function ? [t.function.name] : []));
  return {
    model: body.model,
    stream: body.stream === true,
    includeUsage: body.stream === true && body.stream_options?.include_usage === true,
    messages: body.messages.map(decodeMessage),
    options: {
      ...(maxOutputTokens !== undefined ? { maxOutputTokens } : {}),
      ...(body.temperature != null ? { temperature: body.temperature } : {}),
      ...(body.top_p != null ? { topP: body.top_p } : {}),
      ...(stop ? { stop } : {}),
      ...(body.n != null ? { n: body.n } : {}),
      ...(body.reasoning_effort != null ? { reasoningEffort: body.reasoning_effort } : {}),
      ...(toolNames?.length ? { toolNames } : {}),
    },
  };
}
