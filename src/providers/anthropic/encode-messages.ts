import type { CacheControl, CanonicalMessage, ContentPart, ImagePart, TextPart, ToolCallPart } from '../../canonical/index.ts';
import { MoatError } from '../../errors/index.ts';
import type { AnthropicCacheControl, AnthropicContentBlock, AnthropicImageBlock, AnthropicTextBlock, AnthropicTurn } from './wire-types.ts';

/**
 * Canonical messages → Anthropic `system` and `messages`.
 * https://docs.anthropic.com/en/api/messages#body-messages
 *
 * - system and developer messages, wherever they stand, become the `system` text blocks, in order;
 * - `tool` messages become `tool_result` blocks of a user turn;
 * - consecutive turns of one role are merged (Anthropic wants user and assistant to alternate), so
 *   the results of parallel tool calls and the user message that follows them share one user turn,
 *   results first, as the API requires;
 * - reasoning goes back only when signed (Anthropic verifies the signature and rejects unsigned
 *   `thinking`, e.g. reasoning another provider produced); redacted reasoning goes back as is;
 * - empty text parts are left out (the API rejects empty text blocks), and a turn left empty by that
 *   is left out too; image `detail` has no counterpart. What is dropped is reported in `warnings`.
 */
export interface EncodedMessages {
  system: AnthropicTextBlock[];
  messages: AnthropicTurn[];
}

export function encodeAnthropicMessages(messages: CanonicalMessage[], warnings: string[] = []): EncodedMessages {
  const system: AnthropicTextBlock[] = [];
  const turns: AnthropicTurn[] = [];
  let unsigned = 0;
  let details = 0;
  messages.forEach((message, index) => {
    if (message.role === 'system' || message.role === 'developer') {
      for (const part of message.parts) {
        if (part.type !== 'text') throw unsupportedContent(part, index, 'a system message');
        if (part.text !== '') system.push(textBlock(part));
      }
      return;
    }
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    for (const part of message.parts) {
      if (part.type === 'reasoning' && !part.signature) unsigned++;
      if (part.type === 'image' && part.detail !== undefined) details++;
      if (part.type === 'tool-result') details += part.content.filter((p) => p.type === 'image' && p.detail !== undefined).length;
    }
    const content = message.parts.flatMap((part, partIndex) => encodePart(part, message, index, partIndex));
    if (content.length === 0) return;
    const last = turns.at(-1);
    if (last?.role === role) last.content.push(...content);
    else turns.push({ role, content });
  });
  if (unsigned > 0) warnings.push(`dropped ${unsigned} unsigned reasoning part(s): Anthropic takes back only thinking it signed`);
  if (details > 0) warnings.push(`dropped image 'detail': Anthropic has no such option`);
  return { system, messages: turns };
}

function encodePart(part: ContentPart, message: CanonicalMessage, index: number, partIndex: number): AnthropicContentBlock[] {
  const role = message.role;
  switch (part.type) {
    case 'text':
      return part.text === '' ? [] : [textBlock(part)];
    case 'image':
      return [imageBlock(part)];
    case 'tool-call': {
      if (role !== 'assistant') throw new MoatError('invalid_request', `Only assistant messages can hold tool calls (messages[${index}]).`, { param: `messages[${index}]` });
      const callIndex = message.parts.slice(0, partIndex).filter((p) => p.type === 'tool-call').length;
      const param = `messages[${index}].tool_calls[${callIndex}].function.arguments`;
      return [{ type: 'tool_use', id: part.id, name: part.name, input: parseArguments(part, param), ...encodeCacheControl(part.cacheControl) }];
    }
    case 'tool-result': {
      const content = part.content.flatMap((p): Array<AnthropicTextBlock | AnthropicImageBlock> => (p.type === 'text' ? (p.text === '' ? [] : [textBlock(p)]) : [imageBlock(p)]));
      return [
        {
          type: 'tool_result',
          tool_use_id: part.toolCallId,
          ...(content.length > 0 ? { content } : {}),
          ...(part.isError ? { is_error: true } : {}),
          ...encodeCacheControl(part.cacheControl),
        },
      ];
    }
    case 'reasoning':
      return role === 'assistant' && part.signature ? [{ type: 'thinking', thinking: part.text, signature: part.signature }] : [];
    case 'redacted-reasoning':
      return role === 'assistant' ? [{ type: 'redacted_thinking', data: part.data }] : [];
    case 'other':
      throw unsupportedContent(part, index, `messages[${index}]`);
  }
}

/** Anthropic takes `input` as an object; Moat carries OpenAI's JSON text. An empty text means no arguments. */
function parseArguments(call: ToolCallPart, param: string): Record<string, unknown> {
  if (call.arguments.trim() === '') return {};
  let input: unknown;
  try {
    input = JSON.parse(call.arguments);
  } catch {
    input = undefined;
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new MoatError('invalid_request', `The arguments of tool call '${call.id}' (${call.name}) are not a JSON object; Anthropic models need one.`, { param });
  }
  return input as Record<string, unknown>;
}

function textBlock(part: TextPart): AnthropicTextBlock {
  return { type: 'text', text: part.text, ...encodeCacheControl(part.cacheControl) };
}

function imageBlock(part: ImagePart): AnthropicImageBlock {
  const source: AnthropicImageBlock['source'] =
    part.source.kind === 'url'
      ? { type: 'url', url: part.source.url }
      : // The API checks the media type (jpeg, png, gif, webp) and names the problem itself.
        { type: 'base64', media_type: part.source.mediaType as 'image/png', data: part.source.data };
  return { type: 'image', source, ...encodeCacheControl(part.cacheControl) };
}

export function encodeCacheControl(control: CacheControl | undefined): { cache_control?: AnthropicCacheControl } {
  if (!control) return {};
  // The API checks `ttl` ('5m' or '1h') itself.
  return { cache_control: control.ttl === undefined ? { type: 'ephemeral' } : { type: 'ephemeral', ttl: control.ttl as '5m' } };
}

function unsupportedContent(part: ContentPart, index: number, where: string): MoatError {
  const kind = part.type === 'other' ? part.kind : part.type;
  return new MoatError('unsupported_parameter', `Content of type '${kind}' in ${where} cannot be sent to an Anthropic model.`, { param: `messages[${index}].content` });
}
