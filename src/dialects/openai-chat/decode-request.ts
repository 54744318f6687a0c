import type { z } from 'zod';
import type {
  CanonicalMessage,
  CanonicalOptions,
  CanonicalRequest,
  ContentPart,
  ImagePart,
  TextPart,
  ToolChoice,
} from '../../canonical/index.ts';
import { formatParam, MoatError } from '../../errors/index.ts';
import { isPlainChatRequest } from './plain-request.ts';
import { chatRequestSchema, embeddingsRequestSchema, type ChatRequestBody, type EmbeddingsRequestBody } from './request-schema.ts';

function toInvalidRequest(error: z.ZodError): MoatError {
  const issue = error.issues[0]!;
  const param = formatParam(issue.path);
  const detail = issue.code === 'invalid_type' && issue.input === undefined ? `is required (expected ${issue.expected})` : issue.message;
  return new MoatError('invalid_request', `Invalid request: '${param || 'body'}' ${detail}.`, { param: param || null });
}

export function validateChatRequest(wire: unknown): ChatRequestBody {
  if (isPlainChatRequest(wire)) return wire as ChatRequestBody;
  const result = chatRequestSchema.safeParse(wire);
  if (!result.success) throw toInvalidRequest(result.error);
  return result.data;
}

export function validateEmbeddingsRequest(wire: unknown): EmbeddingsRequestBody {
  const result = embeddingsRequestSchema.safeParse(wire);
  if (!result.success) throw toInvalidRequest(result.error);
  return result.data;
}

type WireMessage = ChatRequestBody['messages'][number];
type WireContent = WireMessage['content'];
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

/** `data:image/png;base64,…` URLs become base64 sources, so upstreams that take only raw bytes get them. */
function imagePart(image: { url: string; detail?: string }): ImagePart {
  const data = DATA_URL.exec(image.url);
  const source: ImagePart['source'] = data ? { kind: 'base64', mediaType: data[1]!, data: data[2]! } : { kind: 'url', url: image.url };
  return image.detail ? { type: 'image', source, detail: image.detail } : { type: 'image', source };
}

function decodeContent(content: WireContent): ContentPart[] {
  if (content === null || content === undefined) return [];
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  return content.map((part): ContentPart => {
    if (part.type === 'text' && typeof part.text === 'string') return { type: 'text', text: part.text };
    if (part.type === 'image_url' && isObject(part.image_url) && typeof part.image_url.url === 'string') {
      return imagePart(part.image_url as { url: string; detail?: string });
    }
    return { type: 'other', kind: part.type };
  });
}

/**
 * Reasoning an assistant turn carries back: `reasoning_details` (signed or encrypted blocks, as Moat
 * returns them for Anthropic thinking — docs/decisions/0007) or plain `reasoning_content`/`reasoning`.
 */
function decodeReasoning(message: Json): ContentPart[] {
  if (Array.isArray(message.reasoning_details)) {
    return message.reasoning_details.flatMap((detail): ContentPart[] => {
      if (!isObject(detail)) return [];
      if (detail.type === 'reasoning.encrypted' && typeof detail.data === 'string') return [{ type: 'redacted-reasoning', data: detail.data }];
      if (detail.type === 'reasoning.text' && typeof detail.text === 'string') {
        return [typeof detail.signature === 'string' ? { type: 'reasoning', text: detail.text, signature: detail.signature } : { type: 'reasoning', text: detail.text }];
      }
      return [];
    });
  }
  const text = message.reasoning_content ?? message.reasoning;
  return typeof text === 'string' && text !== '' ? [{ type: 'reasoning', text }] : [];
}

function toolResultContent(content: WireContent): Array<TextPart | ImagePart> {
  return decodeContent(content).filter((p): p is TextPart | ImagePart => p.type === 'text' || p.type === 'image');
}

function decodeMessage(message: WireMessage): CanonicalMessage {
  if (message.role === 'tool') {
    return { role: 'tool', parts: [{ type: 'tool-result', toolCallId: message.tool_call_id, content: toolResultContent(message.content) }] };
  }
  if (message.role === 'function') {
    const content: TextPart[] = message.content ? [{ type: 'text', text: message.content }] : [];
    return { role: 'tool', parts: [{ type: 'tool-result', toolCallId: message.name, content }] };
  }
  const parts = message.role === 'assistant' ? [...decodeReasoning(message), ...decodeContent(message.content)] : decodeContent(message.content);
  if (message.role === 'assistant' && message.tool_calls) {
    for (const call of message.tool_calls) parts.push({ type: 'tool-call', id: call.id, name: call.function.name, arguments: call.function.arguments });
  }
  return message.name ? { role: message.role, parts, name: message.name } : { role: message.role, parts };
}

function decodeToolChoice(choice: ChatRequestBody['tool_choice']): ToolChoice | undefined {
  if (choice == null) return undefined;
  if (choice === 'auto' || choice === 'none' || choice === 'required') return { type: choice };
  if (isObject(choice) && isObject(choice.function) && typeof choice.function.name === 'string') return { type: 'tool', name: choice.function.name };
  return undefined;
}

function decodeResponseFormat(format: ChatRequestBody['response_format']): CanonicalOptions['responseFormat'] {
  if (format == null) return undefined;
  if (format.type === 'json_object' || format.type === 'text') return { type: format.type };
  if (format.type === 'json_schema' && isObject(format.json_schema)) {
    const spec = format.json_schema;
    return {
      type: 'json_schema',
      ...(typeof spec.name === 'string' ? { name: spec.name } : {}),
      ...(isObject(spec.schema) ? { schema: spec.schema } : {}),
      ...(typeof spec.strict === 'boolean' ? { strict: spec.strict } : {}),
    };
  }
  return undefined;
}

function decodeOptions(body: ChatRequestBody): CanonicalOptions {
  const options: CanonicalOptions = {};
  const maxOutputTokens = body.max_completion_tokens ?? body.max_tokens;
  if (maxOutputTokens != null) options.maxOutputTokens = maxOutputTokens;
  if (body.temperature != null) options.temperature = body.temperature;
  if (body.top_p != null) options.topP = body.top_p;
  if (body.stop != null) options.stop = typeof body.stop === 'string' ? [body.stop] : body.stop;
  if (body.n != null) options.n = body.n;
  if (body.reasoning_effort != null) options.reasoning = body.reasoning_effort === 'none' ? { effort: 'none', enabled: false } : { effort: body.reasoning_effort };
  if (body.user != null) options.user = body.user;
  if (body.parallel_tool_calls != null) options.parallelToolCalls = body.parallel_tool_calls;
  const tools = body.tools?.flatMap((tool) =>
    tool.type === 'function' && tool.function
      ? [{
          name: tool.function.name,
          ...(tool.function.description !== undefined ? { description: tool.function.description } : {}),
          ...(tool.function.parameters !== undefined ? { parameters: tool.function.parameters } : {}),
        }]
      : [],
  );
  if (tools?.length) options.tools = tools;
  const toolChoice = decodeToolChoice(body.tool_choice);
  if (toolChoice) options.toolChoice = toolChoice;
  const responseFormat = decodeResponseFormat(body.response_format);
  if (responseFormat) options.responseFormat = responseFormat;
  return options;
}

/** A validated Chat Completions body → the canonical request the pipeline's stages read. */
export function decodeChatRequest(body: ChatRequestBody): CanonicalRequest {
  return {
    model: body.model,
    stream: body.stream === true,
    includeUsage: body.stream === true && body.stream_options?.include_usage === true,
    messages: body.messages.map(decodeMessage),
    options: decodeOptions(body),
  };
}
