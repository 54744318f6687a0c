import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MoatError } from '../../errors/index.ts';
import { decodeChatRequest, parseJsonObject, validateChatRequest } from './decode-request.ts';

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
      options: { maxOutputTokens: 4000, reasoningEffort: 'high' },
    });
  });

  it('chat-parallel-tools', () => {
    const request = decodeFixture('chat-parallel-tools');
    expect(request.messages).toEqual([
      { role: 'user', parts: [{ type: 'text', text: "What's the weather in Paris right now (in celsius), and what time is it in Tokyo?" }] },
    ]);
    expect(request.options).toEqual({ toolNames: ['get_weather', 'get_time'] });
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
      { role: 'tool', parts: [{ type: 'tool-result', toolCallId: 'call_1', content: '18°C' }] },
      { role: 'tool', parts: [{ type: 'tool-result', toolCallId: 'call_2', content: '12:00' }] },
      { role: 'tool', parts: [{ type: 'tool-result', toolCallId: 'legacy_fn', content: 'old style' }] },
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
      { type: 'image', url: 'https://example.com/a.png', detail: 'low' },
      { type: 'image', url: 'data:image/png;base64,AAAA' },
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
