import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CanonicalMessage, CanonicalOptions, CanonicalRequest } from '../../canonical/index.ts';
import type { ModelConfig } from '../../config/index.ts';
import { effortForBudget, encodeOpenAIRequest, type OpenAIEncodeOptions } from './encode-request.ts';

const chatModel: ModelConfig = { name: 'chat', provider: 'up', reasoning: false, reasoningFormat: 'fields', unsupportedParams: [], tier: 'premium', weight: 1 };
const reasoningModel: ModelConfig = { ...chatModel, name: 'thinker', reasoning: true };
const openAI: OpenAIEncodeOptions = { maxTokensField: 'max_completion_tokens', acceptsTopK: false };
const compatible: OpenAIEncodeOptions = { maxTokensField: 'max_tokens', acceptsTopK: true };

const hello: CanonicalMessage = { role: 'user', parts: [{ type: 'text', text: 'Hello' }] };

function canonical(options: CanonicalOptions = {}, messages: CanonicalMessage[] = [hello], stream = false): CanonicalRequest {
  return { model: 'client-model', stream, includeUsage: false, messages, options };
}

interface Encoded {
  body: Record<string, unknown>;
  warnings: string[];
}

function encode(request: CanonicalRequest, model: ModelConfig = chatModel, options: OpenAIEncodeOptions = openAI): Encoded {
  const warnings: string[] = [];
  const body = JSON.parse(encodeOpenAIRequest(request, 'upstream-model', model, options, warnings).toString('utf8')) as Record<string, unknown>;
  return { body, warnings };
}

const encodeOptions = (options: CanonicalOptions, model?: ModelConfig, wire?: OpenAIEncodeOptions): Encoded => encode(canonical(options), model, wire);

describe('encodeOpenAIRequest: the body', () => {
  it('sends the upstream model name and the messages, nothing else for a bare request', () => {
    const buffer = encodeOpenAIRequest(canonical(), 'upstream-model', chatModel, openAI);
    expect(Buffer.isBuffer(buffer)).toBe(true);
    expect(JSON.parse(buffer.toString('utf8'))).toEqual({ model: 'upstream-model', messages: [{ role: 'user', content: 'Hello' }] });
  });
});

describe('encodeOpenAIRequest: messages', () => {
  it('encodes system, developer and user text as strings, keeping the user name', () => {
    const { body } = encode(
      canonical({}, [
        { role: 'system', parts: [{ type: 'text', text: 'Be brief.', cacheControl: { type: 'ephemeral' } }] },
        { role: 'developer', parts: [{ type: 'text', text: 'Use metric units.' }] },
        { role: 'user', parts: [{ type: 'text', text: 'Weather ' }, { type: 'text', text: 'in Paris?' }], name: 'ann' },
      ]),
    );
    expect(body.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'developer', content: 'Use metric units.' },
      { role: 'user', content: 'Weather in Paris?', name: 'ann' },
    ]);
  });

  it('encodes images as image_url parts: base64 as a data URL, a url as itself, with detail', () => {
    const { body } = encode(
      canonical({}, [
        {
          role: 'user',
          parts: [
            { type: 'text', text: 'Compare:' },
            { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } },
            { type: 'image', source: { kind: 'url', url: 'https://example.com/b.jpg' }, detail: 'low' },
            { type: 'other', kind: 'input_audio' },
          ],
        },
      ]),
    );
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Compare:' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          { type: 'image_url', image_url: { url: 'https://example.com/b.jpg', detail: 'low' } },
        ],
      },
    ]);
  });

  it('sends an empty string for a user message with nothing OpenAI can show', () => {
    const { body } = encode(canonical({}, [{ role: 'user', parts: [{ type: 'other', kind: 'document' }] }]));
    expect(body.messages).toEqual([{ role: 'user', content: '' }]);
  });

  it('encodes assistant tool calls as tool_calls and leaves reasoning out', () => {
    const { body } = encode(
      canonical({}, [
        hello,
        {
          role: 'assistant',
          parts: [
            { type: 'reasoning', text: 'They want weather.', signature: 'sig' },
            { type: 'redacted-reasoning', data: 'ENCRYPTED' },
            { type: 'text', text: 'Checking.' },
            { type: 'tool-call', id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
            { type: 'tool-call', id: 'toolu_2', name: 'get_time', arguments: '{}' },
          ],
        },
        { role: 'assistant', parts: [{ type: 'tool-call', id: 'toolu_3', name: 'f', arguments: '' }] },
        { role: 'assistant', parts: [{ type: 'reasoning', text: 'Hmm.' }, { type: 'text', text: 'Sure.' }] },
      ]),
    );
    expect(body.messages).toEqual([
      { role: 'user', content: 'Hello' },
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [
          { id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'toolu_2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
        ],
      },
      { role: 'assistant', content: null, tool_calls: [{ id: 'toolu_3', type: 'function', function: { name: 'f', arguments: '' } }] },
      { role: 'assistant', content: 'Sure.' },
    ]);
    expect(JSON.stringify(body)).not.toMatch(/They want weather|ENCRYPTED|Hmm|sig/);
  });

  it('encodes each tool result as its own tool message with its tool_call_id', () => {
    const { body } = encode(
      canonical({}, [
        {
          role: 'tool',
          parts: [
            { type: 'tool-result', toolCallId: 'toolu_1', content: [{ type: 'text', text: '18°C, ' }, { type: 'text', text: 'cloudy' }] },
            { type: 'tool-result', toolCallId: 'toolu_2', content: [{ type: 'text', text: '12:00' }] },
          ],
        },
        { role: 'tool', parts: [{ type: 'tool-result', toolCallId: 'toolu_3', content: [] }] },
      ]),
    );
    expect(body.messages).toEqual([
      { role: 'tool', tool_call_id: 'toolu_1', content: '18°C, cloudy' },
      { role: 'tool', tool_call_id: 'toolu_2', content: '12:00' },
      { role: 'tool', tool_call_id: 'toolu_3', content: '' },
    ]);
  });
});

describe('encodeOpenAIRequest: max tokens', () => {
  const cases: Array<[string, ModelConfig, OpenAIEncodeOptions, string]> = [
    ['a reasoning model on OpenAI', reasoningModel, openAI, 'max_completion_tokens'],
    ['a reasoning model on a max_tokens server', reasoningModel, compatible, 'max_completion_tokens'],
    ['a chat model on OpenAI', chatModel, openAI, 'max_completion_tokens'],
    ['a chat model on a max_tokens server', chatModel, compatible, 'max_tokens'],
  ];
  for (const [what, model, wire, field] of cases) {
    it(`uses ${field} for ${what}`, () => {
      const { body } = encodeOptions({ maxOutputTokens: 321 }, model, wire);
      expect(body[field]).toBe(321);
      expect(body).not.toHaveProperty(field === 'max_tokens' ? 'max_completion_tokens' : 'max_tokens');
    });
  }

  it('sends neither without a limit', () => {
    const { body } = encodeOptions({}, reasoningModel, compatible);
    expect(body).not.toHaveProperty('max_tokens');
    expect(body).not.toHaveProperty('max_completion_tokens');
  });
});

describe('encodeOpenAIRequest: sampling options', () => {
  it('passes temperature, top_p, stop, n and user', () => {
    const { body, warnings } = encodeOptions({ temperature: 0, topP: 0.9, stop: ['END', '###'], n: 2, user: 'u-42' });
    expect(body).toEqual({
      model: 'upstream-model',
      messages: [{ role: 'user', content: 'Hello' }],
      temperature: 0,
      top_p: 0.9,
      stop: ['END', '###'],
      n: 2,
      user: 'u-42',
    });
    expect(warnings).toEqual([]);
  });

  it('sends no stop for an empty list', () => {
    expect(encodeOptions({ stop: [] }).body).not.toHaveProperty('stop');
  });

  it('passes top_k only to an upstream that takes it, else drops it with a warning', () => {
    const accepted = encodeOptions({ topK: 40 }, chatModel, compatible);
    expect(accepted.body.top_k).toBe(40);
    expect(accepted.warnings).toEqual([]);
    const dropped = encodeOptions({ topK: 40 }, chatModel, openAI);
    expect(dropped.body).not.toHaveProperty('top_k');
    expect(dropped.warnings).toEqual(["dropped 'top_k': the upstream has no such option"]);
  });

  it('works without a warnings list', () => {
    expect(() => encodeOpenAIRequest(canonical({ topK: 1, reasoning: { effort: 'high' } }), 'm', chatModel, openAI)).not.toThrow();
  });
});

describe('encodeOpenAIRequest: tools and formats', () => {
  const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };

  it('encodes tools as function tools, giving a tool without parameters an empty object schema', () => {
    const { body } = encodeOptions({
      tools: [
        { name: 'get_weather', description: 'Weather now.', parameters: schema, cacheControl: { type: 'ephemeral' } },
        { name: 'ping' },
      ],
      parallelToolCalls: false,
    });
    expect(body.tools).toEqual([
      { type: 'function', function: { name: 'get_weather', description: 'Weather now.', parameters: schema } },
      { type: 'function', function: { name: 'ping', parameters: { type: 'object', properties: {} } } },
    ]);
    expect(body.parallel_tool_calls).toBe(false);
  });

  it('sends parallel_tool_calls only with tools', () => {
    expect(encodeOptions({ parallelToolCalls: true }).body).not.toHaveProperty('parallel_tool_calls');
    expect(encodeOptions({ tools: [], parallelToolCalls: true }).body).not.toHaveProperty('tools');
  });

  it('maps tool_choice', () => {
    expect(encodeOptions({ toolChoice: { type: 'auto' } }).body.tool_choice).toBe('auto');
    expect(encodeOptions({ toolChoice: { type: 'none' } }).body.tool_choice).toBe('none');
    expect(encodeOptions({ toolChoice: { type: 'required' } }).body.tool_choice).toBe('required');
    expect(encodeOptions({ toolChoice: { type: 'tool', name: 'get_weather' } }).body.tool_choice).toEqual({ type: 'function', function: { name: 'get_weather' } });
  });

  it('maps response_format', () => {
    expect(encodeOptions({ responseFormat: { type: 'text' } }).body.response_format).toEqual({ type: 'text' });
    expect(encodeOptions({ responseFormat: { type: 'json_object' } }).body.response_format).toEqual({ type: 'json_object' });
    expect(encodeOptions({ responseFormat: { type: 'json_schema', name: 'weather', schema, strict: true } }).body.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'weather', schema, strict: true },
    });
    // OpenAI requires a name; the schema defaults to one that accepts anything.
    expect(encodeOptions({ responseFormat: { type: 'json_schema' } }).body.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'response', schema: {} },
    });
  });
});

describe('encodeOpenAIRequest: reasoning', () => {
  it('sends the effort to a reasoning model', () => {
    const { body, warnings } = encodeOptions({ reasoning: { effort: 'low' } }, reasoningModel);
    expect(body.reasoning_effort).toBe('low');
    expect(warnings).toEqual([]);
  });

  it('turns a thinking budget into an effort, and prefers an explicit effort', () => {
    expect(encodeOptions({ reasoning: { budgetTokens: 1024 } }, reasoningModel).body.reasoning_effort).toBe('low');
    expect(encodeOptions({ reasoning: { budgetTokens: 8000, enabled: true } }, reasoningModel).body.reasoning_effort).toBe('medium');
    expect(encodeOptions({ reasoning: { budgetTokens: 32000 } }, reasoningModel).body.reasoning_effort).toBe('high');
    expect(encodeOptions({ reasoning: { budgetTokens: 32000, effort: 'minimal' } }, reasoningModel).body.reasoning_effort).toBe('minimal');
  });

  it('asks for medium when reasoning is on with neither effort nor budget', () => {
    expect(encodeOptions({ reasoning: { enabled: true } }, reasoningModel).body.reasoning_effort).toBe('medium');
  });

  it('drops reasoning for a model not configured as a reasoning model, with a warning', () => {
    const { body, warnings } = encodeOptions({ reasoning: { effort: 'high' } }, chatModel);
    expect(body).not.toHaveProperty('reasoning_effort');
    expect(warnings).toEqual(["dropped the reasoning request: model 'upstream-model' is not configured as a reasoning model"]);
  });

  it('sends nothing, and warns of nothing, when reasoning is turned off', () => {
    for (const model of [reasoningModel, chatModel]) {
      const { body, warnings } = encodeOptions({ reasoning: { effort: 'none', enabled: false } }, model);
      expect(body).not.toHaveProperty('reasoning_effort');
      expect(warnings).toEqual([]);
    }
    expect(encodeOptions({ reasoning: { budgetTokens: 9000, enabled: false } }, reasoningModel).body).not.toHaveProperty('reasoning_effort');
  });
});

describe('encodeOpenAIRequest: streaming', () => {
  it('always asks a streamed answer for usage, whatever the client asked', () => {
    for (const includeUsage of [false, true]) {
      const { body } = encode({ ...canonical({}, [hello], true), includeUsage });
      expect(body.stream).toBe(true);
      expect(body.stream_options).toEqual({ include_usage: true });
    }
  });

  it('sends neither stream nor stream_options for a non-streamed request', () => {
    const { body } = encode(canonical());
    expect(body).not.toHaveProperty('stream');
    expect(body).not.toHaveProperty('stream_options');
  });
});

describe('effortForBudget', () => {
  it('maps at the 4096 and 16384 thresholds', () => {
    expect(effortForBudget(0)).toBe('low');
    expect(effortForBudget(1024)).toBe('low');
    expect(effortForBudget(4095)).toBe('low');
    expect(effortForBudget(4096)).toBe('medium');
    expect(effortForBudget(16383)).toBe('medium');
    expect(effortForBudget(16384)).toBe('high');
    expect(effortForBudget(128_000)).toBe('high');
  });

  it('never lowers the effort as the budget grows (property)', () => {
    const rank = { low: 0, medium: 1, high: 2 } as Record<string, number>;
    const budget = fc.nat({ max: 1_000_000 });
    fc.assert(
      fc.property(budget, budget, (a, b) => {
        const [small, large] = a <= b ? [a, b] : [b, a];
        expect(rank[effortForBudget(small)]).toBeLessThanOrEqual(rank[effortForBudget(large)]!);
      }),
    );
  });
});
