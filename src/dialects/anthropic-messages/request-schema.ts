import { z } from 'zod';

/**
 * What Moat checks of a client's Messages body. Objects are loose: fields Moat does not know pass
 * untouched to the upstream, which judges them. Types follow the API reference
 * (https://docs.anthropic.com/en/api/messages) and `@anthropic-ai/sdk`'s `MessageCreateParams`.
 *
 * Block types Moat models must be whole; any other block type (document, search_result, server tool
 * blocks…) passes as long as it names its `type`. The catch-all aborts on a known type so that a
 * broken known block reports its own missing field rather than "unknown type".
 */
const cacheControl = z.looseObject({ type: z.literal('ephemeral'), ttl: z.string().optional() });

const textBlock = z.looseObject({ type: z.literal('text'), text: z.string(), cache_control: cacheControl.nullish() });

const imageSource = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('base64'), media_type: z.string(), data: z.string() }),
  z.looseObject({ type: z.literal('url'), url: z.string() }),
  z.looseObject({ type: z.literal('file'), file_id: z.string() }),
]);
const imageBlock = z.looseObject({ type: z.literal('image'), source: imageSource, cache_control: cacheControl.nullish() });

function otherBlock(known: readonly string[]) {
  return z.looseObject({
    type: z.string().refine((type) => !known.includes(type), { message: 'is missing its fields', abort: true }),
  });
}

const toolResultContent = z.union([z.string(), z.array(z.union([textBlock, imageBlock, otherBlock(['text', 'image'])]))]);

const toolUseBlock = z.looseObject({
  type: z.literal('tool_use'),
  id: z.string(),
  name: z.string(),
  input: z.record(z.string(), z.unknown()),
  cache_control: cacheControl.nullish(),
});
const toolResultBlock = z.looseObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string(),
  content: toolResultContent.optional(),
  is_error: z.boolean().optional(),
  cache_control: cacheControl.nullish(),
});
const thinkingBlock = z.looseObject({ type: z.literal('thinking'), thinking: z.string(), signature: z.string() });
const redactedThinkingBlock = z.looseObject({ type: z.literal('redacted_thinking'), data: z.string() });

const knownBlocks = [textBlock, imageBlock, toolUseBlock, toolResultBlock, thinkingBlock, redactedThinkingBlock] as const;
const knownBlockTypes = ['text', 'image', 'tool_use', 'tool_result', 'thinking', 'redacted_thinking'];
const contentBlock = z.union([z.discriminatedUnion('type', [...knownBlocks]), otherBlock(knownBlockTypes)]);
const messageContent = z.union([z.string(), z.array(contentBlock)]);
const systemContent = z.union([z.string(), z.array(textBlock)]);

// The SDK's `MessageParam` also admits `role: 'system'` turns inside `messages`.
const message = z.discriminatedUnion('role', [
  z.looseObject({ role: z.literal('user'), content: messageContent }),
  z.looseObject({ role: z.literal('assistant'), content: messageContent }),
  z.looseObject({ role: z.literal('system'), content: systemContent }),
]);

// A client tool has no `type` (or `custom`) and needs `input_schema`; server tools (`web_search_…`,
// `bash_…`) are typed and pass loosely.
const customTool = z.looseObject({
  type: z.literal('custom').nullish(),
  name: z.string().min(1),
  description: z.string().optional(),
  input_schema: z.record(z.string(), z.unknown()),
  cache_control: cacheControl.nullish(),
});
const serverTool = z.looseObject({
  type: z.string().refine((type) => type !== 'custom', { message: 'is missing its fields', abort: true }),
});
const tool = z.union([customTool, serverTool]);

const toolChoice = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal('tool'), name: z.string().min(1), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal('none') }),
]);

const thinking = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('enabled'), budget_tokens: z.number().int().min(1024) }),
  z.looseObject({ type: z.literal('disabled') }),
  z.looseObject({ type: z.literal('adaptive') }),
  z.looseObject({ type: z.literal('between_tools') }),
]);

const outputConfig = z.looseObject({
  effort: z.string().nullish(),
  format: z.looseObject({ type: z.literal('json_schema'), schema: z.record(z.string(), z.unknown()) }).nullish(),
});

/** Everything a Messages body and a count_tokens body share. */
const promptFields = {
  model: z.string().min(1),
  messages: z.array(message).min(1, 'at least one message is required'),
  system: systemContent.optional(),
  tools: z.array(tool).optional(),
  tool_choice: toolChoice.optional(),
  thinking: thinking.optional(),
  output_config: outputConfig.optional(),
};

export const messagesRequestSchema = z.looseObject({
  ...promptFields,
  max_tokens: z.number().int().positive(),
  stream: z.boolean().optional(),
  stop_sequences: z.array(z.string()).optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().positive().optional(),
  metadata: z.looseObject({ user_id: z.string().nullish() }).optional(),
});

export type MessagesRequestBody = z.infer<typeof messagesRequestSchema>;

/** POST /v1/messages/count_tokens: the prompt without generation settings. */
export const countTokensRequestSchema = z.looseObject(promptFields);

export type CountTokensRequestBody = z.infer<typeof countTokensRequestSchema>;

export type MessageParam = MessagesRequestBody['messages'][number];
export type ContentBlockParam = Exclude<z.infer<typeof messageContent>, string>[number];
export type TextBlockParam = z.infer<typeof textBlock>;
export type ImageBlockParam = z.infer<typeof imageBlock>;
export type ToolUseBlockParam = z.infer<typeof toolUseBlock>;
export type ToolResultBlockParam = z.infer<typeof toolResultBlock>;
export type ThinkingBlockParam = z.infer<typeof thinkingBlock>;
export type RedactedThinkingBlockParam = z.infer<typeof redactedThinkingBlock>;
export type CustomToolParam = z.infer<typeof customTool>;
