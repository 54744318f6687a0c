import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPlainChatRequest } from './plain-request.ts';
import { chatRequestSchema } from './request-schema.ts';

/** Each field either takes a value of its own type (sometimes out of range) or any JSON value at all. */
const or = <T>(typed: fc.Arbitrary<T>) => fc.oneof(typed, fc.constant(null), fc.jsonValue());
const number = fc.oneof(fc.double({ noNaN: true }), fc.integer({ min: -5, max: 200 }), fc.double({ min: -3, max: 3, noNaN: true }));

const textPart = fc.record({ type: fc.constantFrom('text', 'image_url', 'input_audio'), text: or(fc.string()) }, { requiredKeys: ['type'] });
const content = fc.oneof(fc.string(), fc.constant(null), fc.array(fc.oneof(textPart, fc.jsonValue()), { maxLength: 3 }), fc.jsonValue());
const message = fc.record(
  {
    role: fc.oneof(fc.constantFrom('system', 'developer', 'user', 'assistant', 'tool', 'function', 'robot'), fc.jsonValue()),
    content,
    name: or(fc.string()),
    tool_calls: fc.jsonValue(),
    tool_call_id: or(fc.string()),
  },
  { requiredKeys: ['role'] },
);

const chatBody = fc.record(
  {
    model: fc.oneof(fc.string(), fc.jsonValue()),
    messages: fc.oneof(fc.array(message, { maxLength: 4 }), fc.jsonValue()),
    stream: or(fc.boolean()),
    stream_options: or(fc.record({ include_usage: or(fc.boolean()) }, { requiredKeys: [] })),
    max_tokens: or(number),
    max_completion_tokens: or(number),
    temperature: or(number),
    top_p: or(number),
    n: or(number),
    stop: or(fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 6 }))),
    logprobs: or(fc.boolean()),
    top_logprobs: or(number),
    presence_penalty: or(number),
    frequency_penalty: or(number),
    seed: or(number),
    tools: fc.jsonValue(),
    tool_choice: fc.jsonValue(),
    parallel_tool_calls: or(fc.boolean()),
    response_format: fc.jsonValue(),
    reasoning_effort: or(fc.string()),
    user: or(fc.string()),
    metadata: fc.jsonValue(),
  },
  { requiredKeys: [] },
);

/** Bodies of the plain kind only: what SDKs send for a chat without tools. */
const plainBody = fc.record(
  {
    model: fc.string({ minLength: 1 }),
    messages: fc.array(
      fc.record({
        role: fc.constantFrom('system', 'developer', 'user', 'assistant'),
        content: fc.oneof(fc.string(), fc.array(fc.record({ type: fc.constant('text'), text: fc.string() }), { maxLength: 3 })),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    stream: fc.boolean(),
    stream_options: fc.record({ include_usage: fc.boolean() }),
    max_tokens: fc.integer({ min: 1, max: 100_000 }),
    temperature: fc.double({ min: 0, max: 2, noNaN: true }),
    top_p: fc.double({ min: 0, max: 1, noNaN: true }),
    seed: fc.integer(),
    user: fc.string(),
  },
  { requiredKeys: ['model', 'messages'] },
);

/** A plain body with one field (or one message) replaced by the random generator's: the edge of the plain kind. */
const nearlyPlain = fc.tuple(plainBody, chatBody, message, fc.nat()).map(([body, other, odd, pick]) => {
  const keys = Object.keys(other);
  if (pick % 3 === 0 || keys.length === 0) return { ...body, messages: [...body.messages, odd] };
  const key = keys[pick % keys.length]!;
  return { ...body, [key]: other[key as keyof typeof other] };
});

describe('isPlainChatRequest', () => {
  it('never accepts a body zod refuses, and what it accepts zod returns unchanged', () => {
    let plain = 0;
    fc.assert(
      fc.property(fc.oneof(chatBody, nearlyPlain), (body) => {
        if (!isPlainChatRequest(body)) return;
        plain++;
        const parsed = chatRequestSchema.safeParse(body);
        expect(parsed.success).toBe(true);
        expect(parsed.data).toEqual(body);
      }),
      { numRuns: 20_000 },
    );
    // The property must have been tried on accepted bodies, not only on refused ones.
    expect(plain).toBeGreaterThan(2_000);
  });

  it('takes every body of the plain kind', () => {
    fc.assert(fc.property(plainBody, (body) => isPlainChatRequest(body)), { numRuns: 2_000 });
  });

  it.each([
    ['tools', { tools: [{ type: 'function', function: { name: 'f' } }] }],
    ['a response format', { response_format: { type: 'json_object' } }],
    ['a stop list', { stop: ['a'] }],
    ['a tool result', { messages: [{ role: 'tool', content: 'r', tool_call_id: 'c' }] }],
    ['an assistant tool call', { messages: [{ role: 'assistant', content: null, tool_calls: [] }] }],
    ['an image part', { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] }] }],
    ['a temperature out of range', { temperature: 2.5 }],
    ['a fractional max_tokens', { max_tokens: 1.5 }],
    ['an empty model', { model: '' }],
  ])('leaves a body with %s to zod', (_what, change) => {
    expect(isPlainChatRequest({ model: 'm', messages: [{ role: 'user', content: 'hi' }], ...change })).toBe(false);
  });
});
