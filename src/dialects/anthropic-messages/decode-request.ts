import type {
  CacheControl,
  CanonicalMessage,
  CanonicalOptions,
  CanonicalRequest,
  ContentPart,
  ImagePart,
  ReasoningOptions,
  TextPart,
  ToolChoice,
  ToolDefinition,
} from '../../canonical/index.ts';
import {
  countTokensRequestSchema,
  messagesRequestSchema,
  type ContentBlockParam,
  type CountTokensRequestBody,
  type CustomToolParam,
  type ImageBlockParam,
  type MessageParam,
  type MessagesRequestBody,
  type RedactedThinkingBlockParam,
  type TextBlockParam,
  type ThinkingBlockParam,
  type ToolResultBlockParam,
  type ToolUseBlockParam,
} from './request-schema.ts';
import { toInvalidRequest } from './validation-error.ts';

export function validateMessagesRequest(wire: unknown): MessagesRequestBody {
  const result = messagesRequestSchema.safeParse(wire, { reportInput: true });
  if (!result.success) throw toInvalidRequest(result.error);
  return result.data;
}

export function validateCountTokensRequest(wire: unknown): CountTokensRequestBody {
  const result = countTokensRequestSchema.safeParse(wire, { reportInput: true });
  if (!result.success) throw toInvalidRequest(result.error);
  return result.data;
}

type WireCacheControl = TextBlockParam['cache_control'];

function withCache<T extends object>(part: T, cacheControl: WireCacheControl): T & { cacheControl?: CacheControl } {
  if (!cacheControl) return part;
  return { ...part, cacheControl: cacheControl.ttl === undefined ? { type: 'ephemeral' } : { type: 'ephemeral', ttl: cacheControl.ttl } };
}

function textPart(block: TextBlockParam): TextPart {
  return withCache({ type: 'text', text: block.text }, block.cache_control);
}

/** File-id images have no canonical source: they stay visible as `other`. */
function imagePart(block: ImageBlockParam): ImagePart | ContentPart {
  const source = block.source;
  if (source.type === 'base64') return withCache({ type: 'image', source: { kind: 'base64', mediaType: source.media_type, data: source.data } }, block.cache_control);
  if (source.type === 'url') return withCache({ type: 'image', source: { kind: 'url', url: source.url } }, block.cache_control);
  return { type: 'other', kind: 'image' };
}

/**
 * A tool result's own content. The canonical result holds only text and images; other blocks
 * (documents, search results) cannot be expressed there and are left out.
 */
function toolResultContent(content: ToolResultBlockParam['content']): Array<TextPart | ImagePart> {
  if (content === undefined) return [];
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  const parts: Array<TextPart | ImagePart> = [];
  for (const block of content) {
    if (block.type === 'text') parts.push(textPart(block as TextBlockParam));
    else if (block.type === 'image') {
      const part = imagePart(block as ImageBlockParam);
      if (part.type === 'image') parts.push(part);
    }
  }
  return parts;
}

function toolResultMessage(block: ToolResultBlockParam): CanonicalMessage {
  const part = withCache(
    { type: 'tool-result' as const, toolCallId: block.tool_use_id, content: toolResultContent(block.content), ...(block.is_error !== undefined ? { isError: block.is_error } : {}) },
    block.cache_control,
  );
  return { role: 'tool', parts: [part] };
}

/** One wire block → its canonical part (tool results are handled by the caller: they become messages). */
function blockPart(block: ContentBlockParam): ContentPart {
  switch (block.type) {
    case 'text':
      return textPart(block as TextBlockParam);
    case 'image':
      return imagePart(block as ImageBlockParam);
    case 'tool_use': {
      const use = block as ToolUseBlockParam;
      return withCache({ type: 'tool-call', id: use.id, name: use.name, arguments: JSON.stringify(use.input) }, use.cache_control);
    }
    case 'thinking': {
      const thinking = block as ThinkingBlockParam;
      return { type: 'reasoning', text: thinking.thinking, signature: thinking.signature };
    }
    case 'redacted_thinking':
      return { type: 'redacted-reasoning', data: (block as RedactedThinkingBlockParam).data };
    default:
      return { type: 'other', kind: block.type };
  }
}

/**
 * One wire message → canonical messages. Each `tool_result` block of a user turn becomes its own
 * `tool` message, in place: blocks before it and after it stay in user messages on either side.
 */
function decodeMessage(message: MessageParam, out: CanonicalMessage[]): void {
  if (typeof message.content === 'string') {
    out.push({ role: message.role, parts: [{ type: 'text', text: message.content }] });
    return;
  }
  let parts: ContentPart[] = [];
  for (const block of message.content) {
    if (block.type === 'tool_result' && message.role === 'user') {
      if (parts.length > 0) out.push({ role: message.role, parts });
      parts = [];
      out.push(toolResultMessage(block as ToolResultBlockParam));
    } else {
      parts.push(blockPart(block as ContentBlockParam));
    }
  }
  if (parts.length > 0 || message.content.length === 0) out.push({ role: message.role, parts });
}

function systemMessages(system: MessagesRequestBody['system']): CanonicalMessage[] {
  if (system === undefined) return [];
  if (typeof system === 'string') return [{ role: 'system', parts: [{ type: 'text', text: system }] }];
  return system.length === 0 ? [] : [{ role: 'system', parts: system.map(textPart) }];
}

// https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/implement-tool-use#forcing-tool-use
function toolChoice(choice: NonNullable<MessagesRequestBody['tool_choice']>): ToolChoice {
  switch (choice.type) {
    case 'auto':
      return { type: 'auto' };
    case 'any':
      return { type: 'required' };
    case 'none':
      return { type: 'none' };
    case 'tool':
      return { type: 'tool', name: choice.name };
  }
}

/**
 * Client tools only: server tools (`web_search_…`, `code_execution_…`) run at Anthropic and have no
 * canonical form; they reach an Anthropic upstream on the passthrough path.
 */
function tools(wire: NonNullable<MessagesRequestBody['tools']>): ToolDefinition[] {
  return wire.flatMap((tool): ToolDefinition[] => {
    if (tool.type != null && tool.type !== 'custom') return [];
    const custom = tool as CustomToolParam;
    const definition: ToolDefinition = { name: custom.name, parameters: custom.input_schema };
    if (custom.description !== undefined) definition.description = custom.description;
    return [withCache(definition, custom.cache_control)];
  });
}

// https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking; `output_config.effort`
// is the effort level of newer models.
function reasoning(body: CountTokensRequestBody): ReasoningOptions | undefined {
  const out: ReasoningOptions = {};
  const thinking = body.thinking;
  if (thinking?.type === 'enabled') Object.assign(out, { enabled: true, budgetTokens: thinking.budget_tokens });
  else if (thinking?.type === 'disabled') out.enabled = false;
  else if (thinking) out.enabled = true;
  if (body.output_config?.effort != null) out.effort = body.output_config.effort;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** What a Messages body and a count_tokens body share: the prompt and its tools. */
function promptOptions(body: CountTokensRequestBody): CanonicalOptions {
  const options: CanonicalOptions = {};
  if (body.tools !== undefined) options.tools = tools(body.tools);
  if (body.tool_choice !== undefined) {
    options.toolChoice = toolChoice(body.tool_choice);
    if ('disable_parallel_tool_use' in body.tool_choice && body.tool_choice.disable_parallel_tool_use === true) options.parallelToolCalls = false;
  }
  const reasoningOptions = reasoning(body);
  if (reasoningOptions) options.reasoning = reasoningOptions;
  const format = body.output_config?.format;
  if (format) options.responseFormat = { type: 'json_schema', schema: format.schema };
  return options;
}

function decodeMessages(body: CountTokensRequestBody): CanonicalMessage[] {
  const messages = systemMessages(body.system);
  for (const message of body.messages) decodeMessage(message, messages);
  return messages;
}

/** A validated Messages body → the canonical request the pipeline's stages read. */
export function decodeMessagesRequest(body: MessagesRequestBody): CanonicalRequest {
  const options: CanonicalOptions = { maxOutputTokens: body.max_tokens };
  if (body.temperature !== undefined) options.temperature = body.temperature;
  if (body.top_p !== undefined) options.topP = body.top_p;
  if (body.top_k !== undefined) options.topK = body.top_k;
  if (body.stop_sequences !== undefined) options.stop = body.stop_sequences;
  if (body.metadata?.user_id != null) options.user = body.metadata.user_id;
  const stream = body.stream === true;
  // Anthropic streams always carry usage, so a streaming client always gets it.
  return { model: body.model, stream, includeUsage: stream, messages: decodeMessages(body), options: { ...options, ...promptOptions(body) } };
}

/** A validated count_tokens body → a canonical request that is never sent for generation. */
export function decodeCountTokensRequest(body: CountTokensRequestBody): CanonicalRequest {
  return { model: body.model, stream: false, includeUsage: false, messages: decodeMessages(body), options: promptOptions(body) };
}
