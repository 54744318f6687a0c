import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MoatError } from '../../errors/index.ts';
import { parseJsonObject } from '../parse-json-object.ts';
import { decodeChatRequest, validateChatRequest } from './decode-request.ts';

const fixtures = new URL('../../providers/openai/__fixtures__/', import.meta.url);
const fixtureBody = (name: string): Buffer => readFileSync(new URL(`${name}.request.json`, fixtures));

/** The error a call throws; fails the test if it returns. */
function thrown(call: () => unknown): MoatError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(MoatError);
    return error as MoatError;
  }
  throw new Error('expected a MoatError');
}

const user = { role: 'user', content: 'hi' };

describe('parseJsonObject', () => {
  it('parses a JSON object', () => {
    expect(parseJsonObject(Buffer.from(' {"model":"m","n":1} '))).toEqual({ model: 'm', n: 1 });
  });

  it('rejects invalid JSON and non-objects with invalid_json', () => {
    for (const body of ['{"model":', '', 'model=m', '[]', '[{"model":"m"}]', 'null', '"text"', '42']) {
      const error = thrown(() => parseJsonObject(Buffer.from(body)));
      expect(error.code, body).toBe('invalid_json');
      expect(error.status).toBe(400);
      expect(error.type).toBe('invalid_request_error');
    }
  });
});

describe('validateChatRequest', () => {
  const cases: [string, unknown, string][] = [
    ['an unknown role', { model: 'm', messages: [{ role: 'robot', content: 'x' }] }, 'messages[0].role'],
    ['a missing role', { model: 'm', messages: [user, { content: 'x' }] }, 'messages[1].role'],
    ['a user message without content', { model: 'm', messages: [{ role: 'user' }] }, 'messages[0].content'],
    ['a tool message without tool_call_id', { model: 'm', messages: [user, { role: 'tool', content: 'x' }] }, 'messages[1].tool_call_id'],
    ['a tool call without a function name', { model: 'm', messages: [{ role: 'assistant', tool_calls: [{ id: 'c', function: { arguments: '{}' } }] }] }, 'messages[0].tool_calls[0].function.name'],
    ['a missing model', { messages: [user] }, 'model'],
    ['an empty model', { model: '', messages: [user] }, 'model'],
    ['no messages', { model: 'm', messages: [] }, 'messages'],
    ['messages that are not an array', { model: 'm', messages: 'hi' }, 'messages'],
    ['temperature above 2', { model: 'm', messages: [user], temperature: 2.5 }, 'temperature'],
    ['a fractional max_tokens', { model: 'm', messages: [user], max_tokens: 1.5 }, 'max_tokens'],
    ['five stop sequences', { model: 'm', messages: [user], stop: ['a', 'b', 'c', 'd', 'e'] }, 'stop'],
    ['a string stream flag', { model: 'm', messages: [user], stream: 'yes' }, 'stream'],
  ];

  for (const [what, body, param] of cases) {
    it(`rejects ${what} with param ${param}`, () => {
      const error = thrown(() => validateChatRequest(body));
      expect(error.code).toBe('invalid_request');
      expect(error.status).toBe(400);
      expect(error.type).toBe('invalid_request_error');
      expect(error.param).toBe(param);
      expect(error.message).toContain(`'${param}'`);
    });
  }

  it('has no param when the body itself is wrong', () => {
    const error = thrown(() => validateChatRequest('not an object'));
    expect(error.code).toBe('invalid_request');
    expect(error.param).toBeNull();
  });

  it('keeps fields it does not know', () => {
    const body = validateChatRequest({ model: 'm', messages: [{ ...user, x_msg: 1 }], x_vendor_hint: { keep: [1] } });
    expect(body).toMatchObject({ x_vendor_hint: { keep: [1] }, messages: [{ x_msg: 1 }] });
  });
});

describe('decodeChatRequest on the request fixtures', () => {
  const decodeFixture = (name: string, extra: Record<string, unknown> = {}) =>
    decodeChatRequest(validateChatRequest({ ...parseJsonObject(fixtureBody(name)), ...extra }));

  it('chat-text', () => {
    expect(decodeFixture('chat-text')).toEqual({
      model: 'gpt-4o',
      stream: false,
      includeUsage: false,
      messages: [
        { role: 'system', parts: [{ type: 'text', text: 'You are a concise geography assistant.' }] },
        { role: 'user', parts: [{ type: 'text', text: 'What is the capital of France? One or two sentences.' }] },
      ],
      options: { maxOutputTokens: 256, temperature: 0.2 },
    });
  });

  it('chat-reasoning', () => {
    expect(decodeFixture('chat-reasoning')).toEqual({
      model: 'o3-mini',
      stream: false,
      includeUsage: false,
      messages: [
        { role: 'developer', parts: [{ type: 'text', text: 'Answer in one short paragraph.' }] },
        { role: 'user', parts: [{ type: 'text', text: 'Is 1013 a prime number? Justify briefly.' }] },
      ],
      options: { maxOutputTokens: 4000, reasoning: { effort: 'high' } },
    });
  });

  it('chat-parallel-tools', () => {
    const request = decodeFixture('chat-parallel-tools');
    expect(request.messages).toEqual([
      { role: 'user', parts: [{ type: 'text', text: "What's the weather in Paris right now (in celsius), and what time is it in Tokyo?" }] },
    ]);
    // `strict` has no place in the canonical ToolDefinition, so it is not kept (see the report).
    expect(request.options).toEqual({
      tools: [
        {
          name: 'get_weather',
          description: 'Get the current weather for a location.',
          parameters: {
            type: 'object',
            properties: {
              location: { type: 'string', description: 'City and country, e.g. Paris, France' },
              unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
            },
            required: ['location', 'unit'],
            additionalProperties: false,
          },
        },
        {
          name: 'get_time',
          description: 'Get the current local time in an IANA timezone.',
          parameters: {
            type: 'object',
            properties: { timezone: { type: 'string', description: 'IANA timezone name, e.g. Asia/Tokyo' } },
            required: ['timezone'],
            additionalProperties: false,
          },
        },
      ],
      toolChoice: { type: 'auto' },
      parallelToolCalls: true,
    });
  });

  it('chat-unknown-fields', () => {
    const request = decodeFixture('chat-unknown-fields');
    expect(request.messages).toEqual([{ role: 'user', parts: [{ type: 'text', text: 'Say hello in German, Grüße style.' }] }]);
    expect(request.options).toEqual({ temperature: 1 });
  });

  it('sets includeUsage only for a streaming request that asks for it', () => {
    const streamOptions = { stream_options: { include_usage: true } };
    expect(decodeFixture('chat-text', { stream: true, ...streamOptions })).toMatchObject({ stream: true, includeUsage: true });
    expect(decodeFixture('chat-text', { stream: true })).toMatchObject({ stream: true, includeUsage: false });
    expect(decodeFixture('chat-text', { stream: false, ...streamOptions })).toMatchObject({ stream: false, includeUsage: false });
    expect(decodeFixture('chat-text', streamOptions)).toMatchObject({ stream: false, includeUsage: false });
  });
});

describe('decodeChatRequest on a tool round trip', () => {
  const decode = (body: Record<string, unknown>) => decodeChatRequest(validateChatRequest({ model: 'gpt-4o', ...body }));

  it('turns assistant tool_calls into tool-call parts and tool messages into tool-result parts', () => {
    const request = decode({
      messages: [
        { role: 'user', content: 'Weather in Paris?', name: 'ann' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Paris"}' } },
            { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '18°C' },
        { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '12:' }, { type: 'text', text: '00' }] },
        { role: 'function', name: 'legacy_fn', content: 'old style' },
      ],
    });
    expect(request.messages).toEqual([
      { role: 'user', parts: [{ type: 'text', text: 'Weather in Paris?' }], name: 'ann' },
      {
        role: 'assistant',
        parts: [
          { type: 'tool-call', id: 'call_1', name: 'get_weather', arguments: '{"location":"Paris"}' },
          { type: 'tool-call', id: 'call_2', name: 'get_time', arguments: '{}' },
        ],
      },
      { role: 'tool', parts: [{ type: 'tool-result', toolCallId: 'call_1', content: [{ type: 'text', text: '18°C' }] }] },
      {
        role: 'tool',
        parts: [{ type: 'tool-result', toolCallId: 'call_2', content: [{ type: 'text', text: '12:' }, { type: 'text', text: '00' }] }],
      },
      { role: 'tool', parts: [{ type: 'tool-result', toolCallId: 'legacy_fn', content: [{ type: 'text', text: 'old style' }] }] },
    ]);
  });

  it('keeps assistant text before its tool calls', () => {
    const request = decode({
      messages: [{ role: 'assistant', content: 'Let me check.', tool_calls: [{ id: 'c', function: { name: 'f', arguments: '' } }] }],
    });
    expect(request.messages[0]!.parts).toEqual([
      { type: 'text', text: 'Let me check.' },
      { type: 'tool-call', id: 'c', name: 'f', arguments: '' },
    ]);
  });

  it('turns image_url parts into image parts and unknown parts into other parts', () => {
    const request = decode({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'https://example.com/a.png', detail: 'low' } },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
            { type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } },
          ],
        },
      ],
    });
    expect(request.messages[0]!.parts).toEqual([
      { type: 'text', text: 'What is this?' },
      { type: 'image', source: { kind: 'url', url: 'https://example.com/a.png' }, detail: 'low' },
      { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AAAA' } },
      { type: 'other', kind: 'input_audio' },
    ]);
  });

  it('prefers max_completion_tokens over max_tokens', () => {
    expect(decode({ messages: [user], max_tokens: 100, max_completion_tokens: 50 }).options.maxOutputTokens).toBe(50);
    expect(decode({ messages: [user], max_tokens: 100 }).options.maxOutputTokens).toBe(100);
    expect(decode({ messages: [user], max_tokens: 100, max_completion_tokens: null }).options.maxOutputTokens).toBe(100);
    expect(decode({ messages: [user] }).options).toEqual({});
  });

  it('normalises stop, n and top_p', () => {
    expect(decode({ messages: [user], stop: 'END', n: 2, top_p: 0.5 }).options).toEqual({ stop: ['END'], n: 2, topP: 0.5 });
    expect(decode({ messages: [user], stop: ['a', 'b'] }).options).toEqual({ stop: ['a', 'b'] });
  });

  it('keeps images in tool results and an empty result for a legacy function message without content', () => {
    const request = decode({
      messages: [
        { role: 'tool', tool_call_id: 'c', content: [{ type: 'text', text: 'chart:' }, { type: 'image_url', image_url: { url: 'https://example.com/c.png' } }] },
        { role: 'function', name: 'f', content: null },
      ],
    });
    expect(request.messages).toEqual([
      {
        role: 'tool',
        parts: [
          {
            type: 'tool-result',
            toolCallId: 'c',
            content: [
              { type: 'text', text: 'chart:' },
              { type: 'image', source: { kind: 'url', url: 'https://example.com/c.png' } },
            ],
          },
        ],
      },
      { role: 'tool', parts: [{ type: 'tool-result', toolCallId: 'f', content: [] }] },
    ]);
  });

  it('reads the reasoning an assistant turn carries back, before its text and tool calls', () => {
    const request = decode({
      messages: [
        {
          role: 'assistant',
          content: 'Done.',
          reasoning_content: 'ignored: reasoning_details wins',
          reasoning_details: [
            { type: 'reasoning.text', text: 'Think.', signature: 'sig-1', index: 0 },
            { type: 'reasoning.encrypted', data: 'opaque', index: 1 },
            { type: 'reasoning.text', text: 'Unsigned.', index: 2 },
            { type: 'reasoning.summary', summary: 'not modelled', index: 3 },
            'not an object',
          ],
          tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }],
        },
        { role: 'assistant', content: 'A.', reasoning_content: 'plain' },
        { role: 'assistant', content: 'B.', reasoning: 'vllm style' },
        { role: 'assistant', content: 'C.', reasoning_content: '' },
      ],
    });
    expect(request.messages.map((m) => m.parts)).toEqual([
      [
        { type: 'reasoning', text: 'Think.', signature: 'sig-1' },
        { type: 'redacted-reasoning', data: 'opaque' },
        { type: 'reasoning', text: 'Unsigned.' },
        { type: 'text', text: 'Done.' },
        { type: 'tool-call', id: 'c', name: 'f', arguments: '{}' },
      ],
      [{ type: 'reasoning', text: 'plain' }, { type: 'text', text: 'A.' }],
      [{ type: 'reasoning', text: 'vllm style' }, { type: 'text', text: 'B.' }],
      [{ type: 'text', text: 'C.' }],
    ]);
  });

  it('does not read reasoning fields on user messages', () => {
    expect(decode({ messages: [{ role: 'user', content: 'q', reasoning_content: 'x' }] }).messages[0]!.parts).toEqual([{ type: 'text', text: 'q' }]);
  });

  it('maps reasoning_effort, with none meaning reasoning turned off', () => {
    expect(decode({ messages: [user], reasoning_effort: 'low' }).options).toEqual({ reasoning: { effort: 'low' } });
    expect(decode({ messages: [user], reasoning_effort: 'none' }).options).toEqual({ reasoning: { effort: 'none', enabled: false } });
    expect(decode({ messages: [user], reasoning_effort: null }).options).toEqual({});
  });

  it('maps tool_choice, keeping only function tools', () => {
    const tools = [
      { type: 'function', function: { name: 'f' } },
      { type: 'custom', custom: { name: 'g' } },
    ];
    expect(decode({ messages: [user], tools, tool_choice: { type: 'function', function: { name: 'f' } } }).options).toEqual({
      tools: [{ name: 'f' }],
      toolChoice: { type: 'tool', name: 'f' },
    });
    for (const choice of ['auto', 'none', 'required'] as const) {
      expect(decode({ messages: [user], tool_choice: choice }).options).toEqual({ toolChoice: { type: choice } });
    }
    expect(decode({ messages: [user], tools: [{ type: 'custom' }], tool_choice: 'sometimes' }).options).toEqual({});
  });

  it('maps response_format, user and parallel_tool_calls', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    expect(
      decode({
        messages: [user],
        response_format: { type: 'json_schema', json_schema: { name: 'answer', schema, strict: true } },
        user: 'u-42',
        parallel_tool_calls: false,
      }).options,
    ).toEqual({ responseFormat: { type: 'json_schema', name: 'answer', schema, strict: true }, user: 'u-42', parallelToolCalls: false });
    expect(decode({ messages: [user], response_format: { type: 'json_schema', json_schema: {} } }).options).toEqual({ responseFormat: { type: 'json_schema' } });
    expect(decode({ messages: [user], response_format: { type: 'json_object' } }).options).toEqual({ responseFormat: { type: 'json_object' } });
    expect(decode({ messages: [user], response_format: { type: 'text' } }).options).toEqual({ responseFormat: { type: 'text' } });
    expect(decode({ messages: [user], response_format: { type: 'json_schema' } }).options).toEqual({});
  });

  // Regression: `image_url: {}` once slipped through as an image part with no url.
  it('rejects or keeps as `other` an image_url part without a url', () => {
    let request: ReturnType<typeof decode> | undefined;
    try {
      request = decode({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: {} }] }] });
    } catch (error) {
      expect((error as MoatError).code).toBe('invalid_request');
      return;
    }
    expect(request.messages[0]!.parts[0]).toEqual({ type: 'other', kind: 'image_url' });
  });
});
