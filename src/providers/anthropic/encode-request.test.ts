import type { MessageCreateParams } from '@anthropic-ai/sdk/resources/messages/messages';
import { describe, expect, it } from 'vitest';
import type { CanonicalMessage, CanonicalOptions, CanonicalRequest } from '../../canonical/index.ts';
import { configSchema } from '../../config/index.ts';
import { MoatError } from '../../errors/index.ts';
import { encodeAnthropicRequest } from './encode-request.ts';
import type { AnthropicRequestBody } from './wire-types.ts';

// The body Moat builds must be one the official SDK would build: a compile-time check.
const _sdkAccepts = (body: AnthropicRequestBody): MessageCreateParams => body;

const model = configSchema.parse({ models: [{ name: 'claude', provider: 'anthropic' }] }).models[0]!;

function request(messages: CanonicalMessage[], options: CanonicalOptions = {}, stream = false): CanonicalRequest {
  return { model: 'claude', stream, includeUsage: false, messages, options };
}

const encode = (req: CanonicalRequest, warnings: string[] = []): Record<string, unknown> =>
  JSON.parse(encodeAnthropicRequest(req, 'claude-sonnet-4-5', model, warnings).toString('utf8')) as Record<string, unknown>;

function refusal(req: CanonicalRequest): MoatError {
  try {
    encodeAnthropicRequest(req, 'claude-sonnet-4-5', model);
  } catch (error) {
    if (error instanceof MoatError) return error;
    throw error;
  }
  throw new Error('expected the request to be refused');
}

const hello: CanonicalMessage[] = [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }];

describe('encodeAnthropicRequest: a tool loop with thinking', () => {
  const loop: CanonicalMessage[] = [
    { role: 'system', parts: [{ type: 'text', text: 'You are a weather bot.', cacheControl: { type: 'ephemeral' } }] },
    { role: 'user', parts: [{ type: 'text', text: 'Umbrella in Seattle?' }] },
    {
      role: 'assistant',
      parts: [
        { type: 'reasoning', text: 'Need the weather.', signature: 'sig-A' },
        { type: 'redacted-reasoning', data: 'REDACTED' },
        { type: 'reasoning', text: 'unsigned, from another model' },
        { type: 'text', text: '' },
        { type: 'tool-call', id: 'toolu_1', name: 'get_weather', arguments: '{"location": "Seattle, WA"}' },
        { type: 'tool-call', id: 'toolu_2', name: 'get_time', arguments: '' },
      ],
    },
    { role: 'tool', parts: [{ type: 'tool-result', toolCallId: 'toolu_1', content: [{ type: 'text', text: '54°F, rain' }] }] },
    { role: 'tool', parts: [{ type: 'tool-result', toolCallId: 'toolu_2', content: [], isError: true }] },
    { role: 'developer', parts: [{ type: 'text', text: 'Be brief.' }] },
    { role: 'user', parts: [{ type: 'text', text: 'And tomorrow?' }] },
  ];
  const options: CanonicalOptions = {
    tools: [
      { name: 'get_weather', description: 'Weather now.', parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] } },
      { name: 'get_time', cacheControl: { type: 'ephemeral', ttl: '1h' } },
    ],
    reasoning: { effort: 'low' },
    stop: ['END'],
    user: 'user-42',
  };

  it('builds the exact Anthropic body', () => {
    const warnings: string[] = [];
    const body = encode(request(loop, options, true), warnings);
    expect(warnings).toEqual(["dropped 1 unsigned reasoning part(s): Anthropic takes back only thinking it signed"]);
    expect(body).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 2048 + 4096,
      system: [
        { type: 'text', text: 'You are a weather bot.', cache_control: { type: 'ephemeral' } },
        { type: 'text', text: 'Be brief.' },
      ],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Umbrella in Seattle?' }] },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'Need the weather.', signature: 'sig-A' },
            { type: 'redacted_thinking', data: 'REDACTED' },
            { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { location: 'Seattle, WA' } },
            { type: 'tool_use', id: 'toolu_2', name: 'get_time', input: {} },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: '54°F, rain' }] },
            { type: 'tool_result', tool_use_id: 'toolu_2', is_error: true },
            { type: 'text', text: 'And tomorrow?' },
          ],
        },
      ],
      tools: [
        { name: 'get_weather', description: 'Weather now.', input_schema: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] } },
        { name: 'get_time', input_schema: { type: 'object', properties: {} }, cache_control: { type: 'ephemeral', ttl: '1h' } },
      ],
      thinking: { type: 'enabled', budget_tokens: 2048 },
      stop_sequences: ['END'],
      metadata: { user_id: 'user-42' },
      stream: true,
    });
    // Members in the reference's order.
    expect(Object.keys(body)).toEqual(['model', 'max_tokens', 'system', 'messages', 'tools', 'thinking', 'stop_sequences', 'metadata', 'stream']);
  });

  it('refuses tool-call arguments that are not a JSON object, naming the call', () => {
    const bad = structuredClone(loop);
    bad[2]!.parts[5] = { type: 'tool-call', id: 'toolu_2', name: 'get_time', arguments: '{"tz": ' };
    const error = refusal(request(bad, options));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain("'toolu_2' (get_time)");
    expect(error.param).toBe('messages[2].tool_calls[1].function.arguments');
    bad[2]!.parts[5] = { type: 'tool-call', id: 'toolu_2', name: 'get_time', arguments: '[1]' };
    expect(refusal(request(bad, options)).code).toBe('invalid_request');
  });
});

describe('encodeAnthropicRequest: messages', () => {
  it('merges consecutive turns of one role and leaves out empty ones', () => {
    const body = encode(
      request([
        { role: 'user', parts: [{ type: 'text', text: 'a' }] },
        { role: 'assistant', parts: [{ type: 'reasoning', text: 'unsigned' }] },
        { role: 'user', parts: [{ type: 'text', text: 'b' }] },
        { role: 'assistant', parts: [{ type: 'text', text: 'c' }] },
        { role: 'assistant', parts: [{ type: 'text', text: 'd' }] },
      ]),
    );
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'c' }, { type: 'text', text: 'd' }] },
    ]);
    expect(body).not.toHaveProperty('system');
  });

  it('encodes base64 and URL images with their cache markers, dropping OpenAI detail', () => {
    const warnings: string[] = [];
    const body = encode(
      request([
        {
          role: 'user',
          parts: [
            { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBO' }, detail: 'high' },
            { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.png' }, cacheControl: { type: 'ephemeral' } },
            { type: 'text', text: 'Describe.' },
          ],
        },
      ]),
      warnings,
    );
    expect(warnings).toEqual(["dropped image 'detail': Anthropic has no such option"]);
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBO' } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' }, cache_control: { type: 'ephemeral' } },
          { type: 'text', text: 'Describe.' },
        ],
      },
    ]);
  });

  it('refuses content it cannot express', () => {
    const audio = refusal(request([{ role: 'user', parts: [{ type: 'other', kind: 'input_audio' }] }]));
    expect([audio.code, audio.param]).toEqual(['unsupported_parameter', 'messages[0].content']);
    expect(audio.message).toContain('input_audio');
    const systemImage = refusal(request([{ role: 'system', parts: [{ type: 'image', source: { kind: 'url', url: 'u' } }] }, ...hello]));
    expect(systemImage.param).toBe('messages[0].content');
    const userCall = refusal(request([{ role: 'user', parts: [{ type: 'tool-call', id: 't', name: 'n', arguments: '{}' }] }]));
    expect(userCall.code).toBe('invalid_request');
  });
});

describe('encodeAnthropicRequest: options', () => {
  it('sends the bare minimum for a bare request', () => {
    const warnings: string[] = [];
    expect(encode(request(hello), warnings)).toEqual({ model: 'claude-sonnet-4-5', max_tokens: 4096, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] });
    expect(warnings).toEqual([]);
  });

  it('maps max tokens, sampling, n = 1 and a text response format', () => {
    const body = encode(request(hello, { maxOutputTokens: 300, temperature: 0.2, topP: 0.9, topK: 40, n: 1, responseFormat: { type: 'text' }, stop: [] }));
    expect(body).toMatchObject({ max_tokens: 300, temperature: 0.2, top_p: 0.9, top_k: 40 });
    expect(body).not.toHaveProperty('stop_sequences');
    expect(body).not.toHaveProperty('n');
  });

  it('maps tool_choice and parallel_tool_calls', () => {
    const tools = [{ name: 'f' }];
    const choice = (options: CanonicalOptions): unknown => encode(request(hello, { tools, ...options })).tool_choice;
    expect(choice({})).toBeUndefined();
    expect(choice({ toolChoice: { type: 'auto' } })).toEqual({ type: 'auto' });
    expect(choice({ toolChoice: { type: 'none' } })).toEqual({ type: 'none' });
    expect(choice({ toolChoice: { type: 'required' } })).toEqual({ type: 'any' });
    expect(choice({ toolChoice: { type: 'tool', name: 'f' } })).toEqual({ type: 'tool', name: 'f' });
    expect(choice({ parallelToolCalls: false })).toEqual({ type: 'auto', disable_parallel_tool_use: true });
    expect(choice({ parallelToolCalls: false, toolChoice: { type: 'required' } })).toEqual({ type: 'any', disable_parallel_tool_use: true });
    expect(choice({ parallelToolCalls: false, toolChoice: { type: 'tool', name: 'f' } })).toEqual({ type: 'tool', name: 'f', disable_parallel_tool_use: true });
    expect(choice({ parallelToolCalls: false, toolChoice: { type: 'none' } })).toEqual({ type: 'none' });
    expect(choice({ parallelToolCalls: true })).toBeUndefined();
    // No tools: nothing to make serial.
    expect(encode(request(hello, { parallelToolCalls: false }))).not.toHaveProperty('tool_choice');
  });

  it('refuses n > 1, JSON response formats and temperatures above 1', () => {
    const cases: Array<[CanonicalOptions, string]> = [
      [{ n: 2 }, 'n'],
      [{ responseFormat: { type: 'json_object' } }, 'response_format'],
      [{ responseFormat: { type: 'json_schema', name: 'x', schema: {} } }, 'response_format'],
      [{ temperature: 1.5 }, 'temperature'],
    ];
    for (const [options, param] of cases) {
      const error = refusal(request(hello, options));
      expect([error.code, error.status, error.param]).toEqual(['unsupported_parameter', 400, param]);
    }
    expect(encode(request(hello, { temperature: 1 })).temperature).toBe(1);
  });

  it('refuses, with thinking on, what Anthropic refuses alongside it', () => {
    const thinking: CanonicalOptions = { reasoning: { effort: 'medium' } };
    const cases: Array<[CanonicalOptions, string]> = [
      [{ temperature: 0.5 }, 'temperature'],
      [{ topK: 5 }, 'top_k'],
      [{ topP: 0.9 }, 'top_p'],
      [{ tools: [{ name: 'f' }], toolChoice: { type: 'required' } }, 'tool_choice'],
      [{ tools: [{ name: 'f' }], toolChoice: { type: 'tool', name: 'f' } }, 'tool_choice'],
    ];
    for (const [options, param] of cases) {
      const error = refusal(request(hello, { ...thinking, ...options }));
      expect([error.code, error.param]).toEqual(['unsupported_parameter', param]);
      // The same option without thinking is fine.
      expect(() => encode(request(hello, options))).not.toThrow();
    }
    expect(encode(request(hello, { ...thinking, temperature: 1, topP: 0.95, tools: [{ name: 'f' }], toolChoice: { type: 'auto' } }))).toMatchObject({
      thinking: { type: 'enabled', budget_tokens: 8192 },
      temperature: 1,
      top_p: 0.95,
    });
  });
});

describe('encodeAnthropicRequest: thinking and max_tokens', () => {
  it('raises max_tokens above the budget when the client set none', () => {
    expect(encode(request(hello, { reasoning: { effort: 'high' } }))).toMatchObject({ max_tokens: 24576 + 4096, thinking: { type: 'enabled', budget_tokens: 24576 } });
  });

  it("lowers the budget below the client's max_tokens, with a warning", () => {
    const warnings: string[] = [];
    expect(encode(request(hello, { maxOutputTokens: 5000, reasoning: { effort: 'medium' } }), warnings)).toMatchObject({ max_tokens: 5000, thinking: { type: 'enabled', budget_tokens: 4999 } });
    expect(warnings).toEqual(['lowered the thinking budget from 8192 to 4999 tokens: Anthropic needs it below max_tokens (5000)']);
  });

  it('refuses a max_tokens too small to think in', () => {
    const error = refusal(request(hello, { maxOutputTokens: 1000, reasoning: { effort: 'low' } }));
    expect([error.code, error.param]).toEqual(['unsupported_parameter', 'reasoning_effort']);
  });

  it('sends no thinking for effort none or reasoning turned off', () => {
    expect(encode(request(hello, { reasoning: { effort: 'none', enabled: false } }))).not.toHaveProperty('thinking');
    expect(encode(request(hello, { reasoning: { budgetTokens: 2000, enabled: false } }))).not.toHaveProperty('thinking');
  });
});
