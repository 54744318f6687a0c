import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MoatError } from '../../errors/index.ts';
import { decodeCountTokensRequest, decodeMessagesRequest, validateCountTokensRequest, validateMessagesRequest } from './decode-request.ts';

const fixtures = new URL('../../providers/anthropic/__fixtures__/', import.meta.url);
const fixtureJson = (file: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(file, fixtures), 'utf8')) as Record<string, unknown>;
const decodeFixture = (name: string) => decodeMessagesRequest(validateMessagesRequest(fixtureJson(`${name}.request.json`)));

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
const base = { model: 'claude-x', max_tokens: 100 };
const decode = (body: Record<string, unknown>) => decodeMessagesRequest(validateMessagesRequest({ ...base, ...body }));

const weatherInput = { location: 'Seattle, WA', unit: 'fahrenheit' };

describe('decodeMessagesRequest on the request fixtures', () => {
  it('validates every messages fixture request', () => {
    const names = readdirSync(fixtures).filter((f) => f.startsWith('messages-') && f.endsWith('.request.json'));
    expect(names.length).toBeGreaterThanOrEqual(9);
    for (const name of names) expect(() => validateMessagesRequest(fixtureJson(name)), name).not.toThrow();
  });

  it('messages-text', () => {
    expect(decodeFixture('messages-text')).toEqual({
      model: 'claude-sonnet-4-5',
      stream: false,
      includeUsage: false,
      messages: [
        { role: 'system', parts: [{ type: 'text', text: 'You are a concise science tutor. Answer in one short paragraph.' }] },
        { role: 'user', parts: [{ type: 'text', text: 'Why is the sky blue?' }] },
      ],
      options: { maxOutputTokens: 1024 },
    });
  });

  it('messages-parallel-tools', () => {
    const request = decodeFixture('messages-parallel-tools');
    expect(request.messages).toEqual([{ role: 'user', parts: [{ type: 'text', text: "What's the weather in Paris right now, and what time is it there?" }] }]);
    expect(request.options.toolChoice).toEqual({ type: 'auto' });
    expect(request.options.parallelToolCalls).toBeUndefined();
    expect(request.options.tools?.map((t) => t.name)).toEqual(['get_weather', 'get_time']);
    expect(request.options.tools?.[1]).toEqual({
      name: 'get_time',
      description: 'Get the current local time in a timezone.',
      parameters: {
        type: 'object',
        properties: { timezone: { type: 'string', description: 'IANA timezone name, e.g. "America/New_York"' } },
        required: ['timezone'],
      },
    });
  });

  it('messages-thinking and messages-redacted-thinking', () => {
    for (const name of ['messages-thinking', 'messages-redacted-thinking']) {
      expect(decodeFixture(name).options, name).toEqual({ maxOutputTokens: 4096, reasoning: { enabled: true, budgetTokens: 2048 } });
    }
  });

  it('messages-thinking-tools.followup: thinking, tool_use and tool_result', () => {
    const request = decodeFixture('messages-thinking-tools.followup');
    const response = fixtureJson('messages-thinking-tools.response.json') as { content: Array<{ signature?: string; thinking?: string }> };
    expect(request.messages).toHaveLength(3);
    expect(request.messages[0]).toEqual({ role: 'user', parts: [{ type: 'text', text: 'Should I bring an umbrella in Seattle today?' }] });
    const [reasoning, call] = request.messages[1]!.parts;
    expect(request.messages[1]!.role).toBe('assistant');
    expect(reasoning).toEqual({ type: 'reasoning', text: response.content[0]!.thinking, signature: response.content[0]!.signature });
    expect(call).toMatchObject({ type: 'tool-call', id: 'toolu_01Ej6NBvX5mkRz1Fq8cYw3Ta', name: 'get_weather' });
    expect(JSON.parse((call as { arguments: string }).arguments)).toEqual(weatherInput);
    expect(request.messages[2]).toEqual({
      role: 'tool',
      parts: [
        {
          type: 'tool-result',
          toolCallId: 'toolu_01Ej6NBvX5mkRz1Fq8cYw3Ta',
          content: [{ type: 'text', text: '{"location": "Seattle, WA", "temperature": 54, "unit": "fahrenheit", "conditions": "light rain", "precipitation_chance": 0.8}' }],
        },
      ],
    });
    expect(request.options.tools?.map((t) => t.name)).toEqual(['get_weather']);
  });

  it('messages-cache keeps cache_control on system and user blocks', () => {
    const request = decodeFixture('messages-cache');
    const system = request.messages[0]!;
    expect(system.role).toBe('system');
    expect(system.parts).toHaveLength(2);
    expect(system.parts[0]).not.toHaveProperty('cacheControl');
    expect(system.parts[1]).toMatchObject({ type: 'text', cacheControl: { type: 'ephemeral' } });
    expect((system.parts[1] as { text: string }).text.startsWith('# Acme Cloud Storage')).toBe(true);
    expect(request.messages[1]).toEqual({
      role: 'user',
      parts: [{ type: 'text', text: 'If I delete an Archive object after 40 days, what am I billed for?', cacheControl: { type: 'ephemeral' } }],
    });
  });

  it('messages-stop-sequence', () => {
    expect(decodeFixture('messages-stop-sequence').options).toEqual({ maxOutputTokens: 256, stop: ['END'] });
  });

  it('messages-image: base64 and url sources', () => {
    expect(decodeFixture('messages-image').messages).toEqual([
      {
        role: 'user',
        parts: [
          {
            type: 'image',
            source: {
              kind: 'base64',
              mediaType: 'image/png',
              data: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
            },
          },
          { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.png' } },
          { type: 'text', text: 'Describe each of these two images in one sentence.' },
        ],
      },
    ]);
  });

  it('count-tokens', () => {
    const body = fixtureJson('count-tokens.request.json');
    expect(decodeCountTokensRequest(validateCountTokensRequest(body))).toEqual({
      model: 'claude-sonnet-4-5-20250929',
      stream: false,
      includeUsage: false,
      messages: [
        { role: 'system', parts: [{ type: 'text', text: 'You are a concise science tutor. Answer in one short paragraph.' }] },
        { role: 'user', parts: [{ type: 'text', text: 'Why is the sky blue?' }] },
      ],
      options: {},
    });
  });

  it('refuses the count-tokens body as a Messages body with the message Anthropic gives', () => {
    const recorded = fixtureJson('error-400-invalid-request.json') as { error: { message: string } };
    const error = thrown(() => validateMessagesRequest(fixtureJson('count-tokens.request.json')));
    expect(error.message).toBe(recorded.error.message);
    expect(error.param).toBe('max_tokens');
  });
});

describe('decodeMessagesRequest mappings', () => {
  it('splits a user turn around its tool results, in order', () => {
    const request = decode({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'before' },
            { type: 'tool_result', tool_use_id: 'a', content: 'A' },
            { type: 'tool_result', tool_use_id: 'b', is_error: true, content: [{ type: 'text', text: 'B1' }, { type: 'image', source: { type: 'url', url: 'u' } }, { type: 'document', source: {} }] },
            { type: 'tool_result', tool_use_id: 'c' },
            { type: 'text', text: 'after', cache_control: { type: 'ephemeral', ttl: '1h' } },
          ],
        },
      ],
    });
    expect(request.messages).toEqual([
      { role: 'user', parts: [{ type: 'text', text: 'before' }] },
      { role: 'tool', parts: [{ type: 'tool-result', toolCallId: 'a', content: [{ type: 'text', text: 'A' }] }] },
      {
        role: 'tool',
        parts: [{ type: 'tool-result', toolCallId: 'b', isError: true, content: [{ type: 'text', text: 'B1' }, { type: 'image', source: { kind: 'url', url: 'u' } }] }],
      },
      { role: 'tool', parts: [{ type: 'tool-result', toolCallId: 'c', content: [] }] },
      { role: 'user', parts: [{ type: 'text', text: 'after', cacheControl: { type: 'ephemeral', ttl: '1h' } }] },
    ]);
  });

  it('maps assistant blocks: redacted thinking, tool_use with cache_control, unknown blocks', () => {
    const request = decode({
      messages: [
        user,
        {
          role: 'assistant',
          content: [
            { type: 'redacted_thinking', data: 'ENC' },
            { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} },
            { type: 'tool_use', id: 't1', name: 'f', input: { a: [1, 'x'] }, cache_control: { type: 'ephemeral' } },
          ],
        },
      ],
    });
    expect(request.messages[1]).toEqual({
      role: 'assistant',
      parts: [
        { type: 'redacted-reasoning', data: 'ENC' },
        { type: 'other', kind: 'server_tool_use' },
        { type: 'tool-call', id: 't1', name: 'f', arguments: '{"a":[1,"x"]}', cacheControl: { type: 'ephemeral' } },
      ],
    });
  });

  it('keeps file-id images and documents visible as other parts', () => {
    const request = decode({
      messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'file', file_id: 'file_1' } }, { type: 'document', source: { type: 'text', data: 'x', media_type: 'text/plain' } }] }],
    });
    expect(request.messages[0]!.parts).toEqual([
      { type: 'other', kind: 'image' },
      { type: 'other', kind: 'document' },
    ]);
  });

  it('maps tool_choice', () => {
    const cases: Array<[Record<string, unknown>, unknown, boolean | undefined]> = [
      [{ type: 'auto' }, { type: 'auto' }, undefined],
      [{ type: 'any' }, { type: 'required' }, undefined],
      [{ type: 'tool', name: 'f' }, { type: 'tool', name: 'f' }, undefined],
      [{ type: 'none' }, { type: 'none' }, undefined],
      [{ type: 'any', disable_parallel_tool_use: true }, { type: 'required' }, false],
      [{ type: 'auto', disable_parallel_tool_use: false }, { type: 'auto' }, undefined],
    ];
    for (const [wire, choice, parallel] of cases) {
      const { options } = decode({ messages: [user], tool_choice: wire });
      expect(options.toolChoice, JSON.stringify(wire)).toEqual(choice);
      expect(options.parallelToolCalls, JSON.stringify(wire)).toBe(parallel);
    }
  });

  it('maps thinking, effort and output format', () => {
    expect(decode({ messages: [user], thinking: { type: 'disabled' } }).options.reasoning).toEqual({ enabled: false });
    expect(decode({ messages: [user], thinking: { type: 'adaptive' } }).options.reasoning).toEqual({ enabled: true });
    expect(decode({ messages: [user], thinking: { type: 'adaptive' }, output_config: { effort: 'high' } }).options.reasoning).toEqual({ enabled: true, effort: 'high' });
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    expect(decode({ messages: [user], output_config: { format: { type: 'json_schema', schema } } }).options.responseFormat).toEqual({ type: 'json_schema', schema });
    expect(decode({ messages: [user] }).options.reasoning).toBeUndefined();
  });

  it('maps sampling, stop, user and stream options', () => {
    const request = decode({ messages: [user], temperature: 0.3, top_p: 0.9, top_k: 40, stop_sequences: ['a', 'b'], metadata: { user_id: 'u-1' }, stream: true });
    expect(request.options).toEqual({ maxOutputTokens: 100, temperature: 0.3, topP: 0.9, topK: 40, stop: ['a', 'b'], user: 'u-1' });
    expect(request).toMatchObject({ stream: true, includeUsage: true });
    expect(decode({ messages: [user], stream: false, metadata: { user_id: null } })).toMatchObject({ stream: false, includeUsage: false, options: { maxOutputTokens: 100 } });
  });

  it('keeps client tools and leaves server tools to passthrough', () => {
    const { options } = decode({
      messages: [user],
      tools: [
        { type: 'web_search_20250305', name: 'web_search', max_uses: 3 },
        { name: 'f', input_schema: { type: 'object' }, cache_control: { type: 'ephemeral' } },
        { type: 'custom', name: 'g', description: 'G', input_schema: { type: 'object' } },
      ],
    });
    expect(options.tools).toEqual([
      { name: 'f', parameters: { type: 'object' }, cacheControl: { type: 'ephemeral' } },
      { name: 'g', description: 'G', parameters: { type: 'object' } },
    ]);
  });

  it('decodes system blocks, and system turns inside messages', () => {
    const request = decode({
      system: [{ type: 'text', text: 'S1' }, { type: 'text', text: 'S2', cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'system', content: 'mid' }, user],
    });
    expect(request.messages).toEqual([
      { role: 'system', parts: [{ type: 'text', text: 'S1' }, { type: 'text', text: 'S2', cacheControl: { type: 'ephemeral' } }] },
      { role: 'system', parts: [{ type: 'text', text: 'mid' }] },
      { role: 'user', parts: [{ type: 'text', text: 'hi' }] },
    ]);
  });

  it('keeps fields it does not know', () => {
    const body = validateMessagesRequest({ ...base, messages: [{ ...user, x_msg: 1 }], x_vendor_hint: { keep: [1] }, service_tier: 'auto' });
    expect(body).toMatchObject({ x_vendor_hint: { keep: [1] }, service_tier: 'auto', messages: [{ x_msg: 1 }] });
  });
});

describe('validateMessagesRequest', () => {
  const msg = (content: unknown) => ({ ...base, messages: [{ role: 'user', content }] });
  const assistant = (content: unknown) => ({ ...base, messages: [user, { role: 'assistant', content }] });
  const cases: Array<[string, unknown, string, string?]> = [
    ['no max_tokens', { model: 'm', messages: [user] }, 'max_tokens', 'max_tokens: Field required'],
    ['a zero max_tokens', { ...base, max_tokens: 0, messages: [user] }, 'max_tokens'],
    ['a fractional max_tokens', { ...base, max_tokens: 1.5, messages: [user] }, 'max_tokens'],
    ['no model', { max_tokens: 10, messages: [user] }, 'model', 'model: Field required'],
    ['no messages', { ...base }, 'messages', 'messages: Field required'],
    ['empty messages', { ...base, messages: [] }, 'messages'],
    ['an unknown role', { ...base, messages: [{ role: 'robot', content: 'x' }] }, 'messages.0.role'],
    ['a message without content', { ...base, messages: [{ role: 'user' }] }, 'messages.0.content', 'messages.0.content: Field required'],
    ['numeric content', msg(3), 'messages.0.content', 'messages.0.content: Input should be one of: string, array'],
    ['a text block without text', msg([{ type: 'text' }]), 'messages.0.content.0.text', 'messages.0.content.0.text: Field required'],
    ['a block without a type', msg([{ text: 'x' }]), 'messages.0.content.0.type'],
    ['an image without a source', msg([{ type: 'image' }]), 'messages.0.content.0.source'],
    ['a url image without its url', msg([{ type: 'text', text: 'x' }, { type: 'image', source: { type: 'url' } }]), 'messages.0.content.1.source.url'],
    ['an image source of unknown type', msg([{ type: 'image', source: { type: 'ftp' } }]), 'messages.0.content.0.source.type'],
    ['a base64 image without media_type', msg([{ type: 'image', source: { type: 'base64', data: 'x' } }]), 'messages.0.content.0.source.media_type'],
    ['tool_use input that is a string', assistant([{ type: 'tool_use', id: 't', name: 'f', input: '{}' }]), 'messages.1.content.0.input'],
    ['a tool_result without tool_use_id', msg([{ type: 'tool_result', content: 'x' }]), 'messages.0.content.0.tool_use_id'],
    ['a tool_result text block without text', msg([{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'text' }] }]), 'messages.0.content.0.content.0.text'],
    ['thinking without a signature', assistant([{ type: 'thinking', thinking: 'hm' }]), 'messages.1.content.0.signature'],
    ['redacted_thinking without data', assistant([{ type: 'redacted_thinking' }]), 'messages.1.content.0.data'],
    ['temperature above 1', { ...base, messages: [user], temperature: 1.5 }, 'temperature'],
    ['a negative top_p', { ...base, messages: [user], top_p: -0.1 }, 'top_p'],
    ['a string stream flag', { ...base, messages: [user], stream: 'yes' }, 'stream'],
    ['a thinking budget below 1024', { ...base, messages: [user], thinking: { type: 'enabled', budget_tokens: 512 } }, 'thinking.budget_tokens'],
    ['an unknown thinking type', { ...base, messages: [user], thinking: { type: 'sometimes' } }, 'thinking.type'],
    ['a tool without input_schema', { ...base, messages: [user], tools: [{ name: 'f' }] }, 'tools.0.input_schema', 'tools.0.input_schema: Field required'],
    ['tool_choice tool without a name', { ...base, messages: [user], tool_choice: { type: 'tool' } }, 'tool_choice.name'],
    ['an unknown tool_choice', { ...base, messages: [user], tool_choice: { type: 'maybe' } }, 'tool_choice.type'],
    ['a numeric system', { ...base, messages: [user], system: 5 }, 'system'],
    ['an image in system', { ...base, messages: [user], system: [{ type: 'image', source: { type: 'url', url: 'u' } }] }, 'system.0.type'],
    ['stop_sequences as a string', { ...base, messages: [user], stop_sequences: 'END' }, 'stop_sequences'],
  ];

  for (const [what, body, param, message] of cases) {
    it(`rejects ${what} with param ${param}`, () => {
      const error = thrown(() => validateMessagesRequest(body));
      expect(error.code).toBe('invalid_request');
      expect(error.status).toBe(400);
      expect(error.param).toBe(param);
      expect(error.message.startsWith(`${param}: `), error.message).toBe(true);
      if (message) expect(error.message).toBe(message);
    });
  }

  it('has no param when the body itself is wrong', () => {
    const error = thrown(() => validateMessagesRequest('not an object'));
    expect(error.param).toBeNull();
    expect(error.status).toBe(400);
  });

  it('count_tokens needs no max_tokens but still checks the prompt', () => {
    expect(() => validateCountTokensRequest({ model: 'm', messages: [user] })).not.toThrow();
    expect(thrown(() => validateCountTokensRequest({ model: 'm', messages: [{ role: 'user', content: [{ type: 'text' }] }] })).param).toBe('messages.0.content.0.text');
  });
});
