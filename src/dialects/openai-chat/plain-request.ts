/**
 * Whether a parsed Chat Completions body is of the plain, common kind that `chatRequestSchema` would
 * accept unchanged: string (or text-part) messages from system, developer, user and assistant, and the
 * scalar options, each of the type the schema asks. Such a body skips zod (decision 0021): after an
 * idle moment the schema's code runs cold, about 0.1 ms before dispatch, while this check stays small.
 * Anything else (tools, tool calls and results, images, response formats, stop lists, a wrong type)
 * returns false and goes through zod, which also words every error; plain-request.test.ts holds the
 * check to never accept what zod refuses.
 */
export function isPlainChatRequest(wire: unknown): boolean {
  if (!isPlainObject(wire)) return false;
  const model = wire.model;
  if (typeof model !== 'string' || model === '') return false;
  const messages = wire.messages;
  if (!Array.isArray(messages) || messages.length === 0) return false;
  for (const message of messages) if (!plainMessage(message)) return false;
  for (const key in wire) {
    const check = OPTION_CHECKS.get(key);
    if (check !== undefined && !check(wire[key])) return false;
  }
  return true;
}

type Check = (value: unknown) => boolean;

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const nullOr = (check: Check): Check => (value) => value === null || check(value);
const boolean: Check = (value) => typeof value === 'boolean';
const string: Check = (value) => typeof value === 'string';
const numberIn = (min: number, max: number): Check => (value) => typeof value === 'number' && value >= min && value <= max;
const integerIn = (min: number, max: number): Check => (value) => Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max;
const finite: Check = (value) => Number.isFinite(value);

/** The schema's top-level fields other than model and messages; tools and formats go to zod unless null. */
const OPTION_CHECKS: ReadonlyMap<string, Check> = new Map(Object.entries({
  stream: nullOr(boolean),
  stream_options: nullOr((value) => isPlainObject(value) && (!('include_usage' in value) || typeof value.include_usage === 'boolean')),
  max_tokens: nullOr(integerIn(1, Number.MAX_SAFE_INTEGER)),
  max_completion_tokens: nullOr(integerIn(1, Number.MAX_SAFE_INTEGER)),
  temperature: nullOr(numberIn(0, 2)),
  top_p: nullOr(numberIn(0, 1)),
  n: nullOr(integerIn(1, 128)),
  stop: nullOr(string),
  logprobs: nullOr(boolean),
  top_logprobs: nullOr(integerIn(0, 20)),
  presence_penalty: nullOr(numberIn(-2, 2)),
  frequency_penalty: nullOr(numberIn(-2, 2)),
  seed: nullOr(finite),
  tools: (value) => value === null,
  tool_choice: (value) => value === null,
  parallel_tool_calls: nullOr(boolean),
  response_format: (value) => value === null,
  reasoning_effort: nullOr(string),
  user: nullOr(string),
} satisfies Record<string, Check>));

const PLAIN_ROLES = new Set(['system', 'developer', 'user', 'assistant']);

function plainMessage(message: unknown): boolean {
  if (!isPlainObject(message) || typeof message.role !== 'string' || !PLAIN_ROLES.has(message.role)) return false;
  if ('name' in message && typeof message.name !== 'string') return false;
  if (message.role === 'assistant') {
    if ('tool_calls' in message) return false;
    if (message.content === null || !('content' in message)) return true;
  }
  const content = message.content;
  if (typeof content === 'string') return true;
  if (!Array.isArray(content)) return false;
  for (const part of content) if (!isPlainObject(part) || part.type !== 'text' || typeof part.text !== 'string') return false;
  return true;
}
