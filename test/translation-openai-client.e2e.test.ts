import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureJson } from './support/fixtures.ts';
import { CLIENT_KEY, startTestGateway, type TestGateway } from './support/start-gateway.ts';

/** The official OpenAI client → Moat → Anthropic upstream; and Anthropic → Anthropic passthrough. */
let moat: TestGateway;
let openai: OpenAI;

beforeAll(async () => {
  moat = await startTestGateway();
  openai = new OpenAI({ baseURL: moat.baseURL, apiKey: CLIENT_KEY, maxRetries: 0 });
});
afterAll(() => moat.close());

type Params = OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;
type Completion = OpenAI.Chat.ChatCompletion;
type AnthropicMessage = { content: Array<Record<string, unknown>>; usage: Record<string, number> };

const sentToAnthropic = () => JSON.parse(moat.anthropic.lastRequest().body.toString()) as Record<string, unknown>;

/** What a client acts on; the stream helper adds `parsed_arguments`, which the wire does not carry. */
function essentials(completion: Completion) {
  return completion.choices.map((c) => ({
    finish_reason: c.finish_reason,
    content: c.message.content,
    tool_calls: (c.message.tool_calls ?? []).map((t) => (t.type === 'function' ? { id: t.id, name: t.function.name, arguments: JSON.parse(t.function.arguments) as unknown } : t)),
  }));
}

async function both(params: Params): Promise<Completion> {
  const plain = await openai.chat.completions.create(params);
  const streamed = await openai.chat.completions.stream({ ...params, stream: true, stream_options: { include_usage: true } }).finalChatCompletion();
  expect(essentials(streamed)).toEqual(essentials(plain));
  expect(streamed.usage).toEqual(plain.usage);
  return plain;
}

describe('OpenAI client → Anthropic upstream', () => {
  it('text: system prompt hoisted, max_tokens filled, usage translated', async () => {
    const completion = await both({ model: 'ant/fx-messages-text', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hello' }] });
    const upstream = fixtureJson<AnthropicMessage>('messages-text.response.json');
    expect(completion.choices[0]!.message.content).toBe(upstream.content.map((b) => b.text).join(''));
    expect(completion.choices[0]!.finish_reason).toBe('stop');
    expect(completion.usage?.prompt_tokens).toBe(upstream.usage.input_tokens! + upstream.usage.cache_read_input_tokens! + upstream.usage.cache_creation_input_tokens!);
    expect(completion.usage?.completion_tokens).toBe(upstream.usage.output_tokens);
    const sent = sentToAnthropic();
    expect(sent.system).toEqual([{ type: 'text', text: 'Be brief.' }]);
    expect(sent.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }]);
    expect(sent.max_tokens).toBe(4096);
    expect(moat.anthropic.lastRequest().headers['anthropic-version']).toBe('2023-06-01');
  });

  it('parallel tool calls, streamed argument deltas, and a full tool-result round trip', async () => {
    const tools: OpenAI.Chat.ChatCompletionTool[] = [
      { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { location: { type: 'string' } } } } },
      { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: { timezone: { type: 'string' } } } } },
    ];
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather and time?' }];
    const first = await both({ model: 'ant/fx-messages-parallel-tools', tools, tool_choice: 'auto', messages });
    const calls = first.choices[0]!.message.tool_calls!;
    expect(calls).toHaveLength(2);
    expect(first.choices[0]!.finish_reason).toBe('tool_calls');
    expect(sentToAnthropic().tools).toEqual([
      { name: 'get_weather', input_schema: tools[0]!.type === 'function' ? tools[0]!.function.parameters : null },
      { name: 'get_time', input_schema: tools[1]!.type === 'function' ? tools[1]!.function.parameters : null },
    ]);
    // The fake Anthropic API refuses a tool_result whose tool_use is not in the turn before it.
    const second = await openai.chat.completions.create({
      model: 'ant/fx-messages-text',
      tools,
      messages: [
        ...messages,
        first.choices[0]!.message,
        ...calls.map((c): OpenAI.Chat.ChatCompletionToolMessageParam => ({ role: 'tool', tool_call_id: c.id, content: `result for ${c.id}` })),
      ],
    });
    expect(second.choices[0]!.finish_reason).toBe('stop');
    const turns = sentToAnthropic().messages as Array<{ role: string; content: Array<Record<string, unknown>> }>;
    expect(turns.map((t) => t.role)).toEqual(['user', 'assistant', 'user']);
    expect(turns[2]!.content.map((b) => [b.type, b.tool_use_id])).toEqual(calls.map((c) => ['tool_result', c.id]));
  });

  it('thinking: reasoning_effort becomes a budget; thinking shows as reasoning_content; the signature survives the tool loop', async () => {
    const tools: OpenAI.Chat.ChatCompletionTool[] = [
      { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { location: { type: 'string' }, unit: { type: 'string' } } } } },
    ];
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Should I bring an umbrella in Seattle today?' }];
    const first = await openai.chat.completions.create({ model: 'ant/fx-messages-thinking-tools', reasoning_effort: 'low', tools, messages });
    const sent = sentToAnthropic();
    expect(sent.thinking).toEqual({ type: 'enabled', budget_tokens: 2048 });
    expect(sent.max_tokens).toBe(2048 + 4096);
    const message = first.choices[0]!.message as OpenAI.Chat.ChatCompletionMessage & { reasoning_content?: string; reasoning_details?: Array<Record<string, unknown>> };
    expect(message.reasoning_content).toContain('umbrella in Seattle');
    expect(message.reasoning_details?.[0]).toMatchObject({ type: 'reasoning.text', signature: moat.anthropic.sign(message.reasoning_content!) });

    // The usual client loop: push the assistant message as received, then the tool result.
    const call = message.tool_calls![0]!;
    const second = await openai.chat.completions.create({
      model: 'ant/fx-messages-thinking-tools',
      reasoning_effort: 'low',
      tools,
      messages: [...messages, message, { role: 'tool', tool_call_id: call.id, content: '{"forecast":"rain","temp_f":52}' }],
    });
    expect(second.choices[0]!.finish_reason).toBe('stop');
    const assistantTurn = (sentToAnthropic().messages as Array<{ role: string; content: Array<Record<string, unknown>> }>)[1]!;
    expect(assistantTurn.content.map((b) => b.type)).toEqual(['thinking', 'tool_use']);
    expect(assistantTurn.content[0]!.signature).toBe(moat.anthropic.sign(message.reasoning_content!));

    // The streamed twin carries the same blocks, whole, in reasoning_details.
    const streamed = await openai.chat.completions
      .stream({ model: 'ant/fx-messages-thinking-tools', reasoning_effort: 'low', tools, messages, stream: true })
      .finalChatCompletion();
    expect((streamed.choices[0]!.message as typeof message).reasoning_details).toEqual(message.reasoning_details);
  });

  it('an altered thinking block is refused upstream, and the client reads the 400', async () => {
    const first = await openai.chat.completions.create({ model: 'ant/fx-messages-thinking-tools', reasoning_effort: 'low', messages: [{ role: 'user', content: 'Umbrella?' }] });
    const message = first.choices[0]!.message as OpenAI.Chat.ChatCompletionMessage & { reasoning_details: Array<Record<string, unknown>> };
    const tampered = { ...message, reasoning_details: [{ ...message.reasoning_details[0], text: 'I was told to say yes.' }] };
    const error = await openai.chat.completions
      .create({
        model: 'ant/fx-messages-thinking-tools',
        reasoning_effort: 'low',
        messages: [{ role: 'user', content: 'Umbrella?' }, tampered as OpenAI.Chat.ChatCompletionMessageParam, { role: 'tool', tool_call_id: message.tool_calls![0]!.id, content: 'rain' }],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
  });

  it('redacted thinking travels as an encrypted reasoning detail', async () => {
    const completion = await openai.chat.completions.create({ model: 'ant/fx-messages-redacted-thinking', reasoning_effort: 'medium', messages: [{ role: 'user', content: 'x' }] });
    const details = (completion.choices[0]!.message as unknown as { reasoning_details: Array<{ type: string }> }).reasoning_details;
    expect(details.map((d) => d.type)).toEqual(['reasoning.text', 'reasoning.encrypted']);
  });

  it('images (URL and base64) become Anthropic image sources; stop sequences map back', async () => {
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
    await openai.chat.completions.create({
      model: 'ant/fx-messages-image',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } }, { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] }],
    });
    const content = (sentToAnthropic().messages as Array<{ content: Array<Record<string, unknown>> }>)[0]!.content;
    expect(content.slice(1)).toEqual([
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } },
    ]);
    const stopped = await openai.chat.completions.create({ model: 'ant/fx-messages-stop-sequence', stop: ['END'], messages: [{ role: 'user', content: 'Count' }] });
    expect(sentToAnthropic().stop_sequences).toEqual(['END']);
    expect(stopped.choices[0]!.finish_reason).toBe('stop');
  });

  it('cache usage maps to cached_tokens; options Anthropic cannot honour are refused', async () => {
    const cached = await openai.chat.completions.create({ model: 'ant/fx-messages-cache', messages: [{ role: 'user', content: 'x' }] });
    const upstream = fixtureJson<AnthropicMessage>('messages-cache.response.json');
    expect(cached.usage?.prompt_tokens_details?.cached_tokens).toBe(upstream.usage.cache_read_input_tokens);
    for (const [extra, param] of [[{ n: 2 }, 'n'], [{ response_format: { type: 'json_object' as const } }, 'response_format'], [{ temperature: 1.5 }, 'temperature']] as const) {
      const error = await openai.chat.completions.create({ model: 'ant/fx-messages-text', messages: [{ role: 'user', content: 'x' }], ...extra }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe(param);
    }
  });

  it('upstream errors, before and during a stream, reach the client in its own shape', async () => {
    const limited = await openai.chat.completions.create({ model: 'ant/status-429', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    const overloaded = await openai.chat.completions.create({ model: 'ant/status-529', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect((overloaded as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
    const stream = await openai.chat.completions.create({ model: 'ant/midstream-error', messages: [{ role: 'user', content: 'x' }], stream: true });
    const midstream = await (async () => {
      for await (const chunk of stream) void chunk;
    })().catch((e: unknown) => e);
    expect(midstream).toBeInstanceOf(OpenAI.APIError);
  });
});

describe('Anthropic client → Anthropic upstream (passthrough)', () => {
  it('forwards the body and the answer byte for byte, with version and beta headers', async () => {
    const client = new Anthropic({ baseURL: moat.origin, apiKey: CLIENT_KEY, maxRetries: 0 });
    const request = fixtureJson<Anthropic.MessageCreateParamsNonStreaming>('messages-thinking.request.json');
    const message = await client.messages.create({ ...request, model: 'ant/fx-messages-thinking' }, { headers: { 'anthropic-beta': 'interleaved-thinking-2025-05-14' } });
    const upstreamReq = moat.anthropic.lastRequest();
    expect(upstreamReq.headers['anthropic-beta']).toBe('interleaved-thinking-2025-05-14');
    expect(JSON.parse(upstreamReq.body.toString())).toEqual({ ...request, model: 'fx-messages-thinking' });
    expect(message.content[0]).toMatchObject({ type: 'thinking' });
    const { parsed_output: _p, ...streamed } = (await client.messages.stream({ ...request, model: 'ant/fx-messages-thinking' }).finalMessage()) as Anthropic.Message & { parsed_output?: unknown };
    expect(streamed).toEqual(message);
    const metrics = await (await fetch(`${moat.origin}/metrics`)).text();
    expect(metrics).toMatch(/moat_tokens_total\{provider="ant",model_route="ant\/\*",kind="output"\} [1-9]/);
  });

  it('a thinking tool loop passes through with its signatures intact, stream and non-stream', async () => {
    const client = new Anthropic({ baseURL: moat.origin, apiKey: CLIENT_KEY, maxRetries: 0 });
    const request = { ...fixtureJson<Anthropic.MessageCreateParamsNonStreaming>('messages-thinking-tools.request.json'), model: 'ant/fx-messages-thinking-tools' };
    const first = await client.messages.create(request);
    const { parsed_output: _p, ...streamedFirst } = (await client.messages.stream(request).finalMessage()) as Anthropic.Message & { parsed_output?: unknown };
    expect(streamedFirst).toEqual(first);
    const toolUse = first.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use')!;
    const followUp = await client.messages.create({
      ...request,
      messages: [
        ...request.messages,
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: '52°F, light rain' }] },
      ],
    });
    expect(followUp.stop_reason).toBe('end_turn');
    const sent = JSON.parse(moat.anthropic.lastRequest().body.toString()) as { messages: Array<{ content: Array<Record<string, unknown>> }> };
    expect(sent.messages[1]!.content[0]).toEqual(first.content[0]);
  });

  it('count_tokens: passed to Anthropic, estimated elsewhere; models list in Anthropic shape', async () => {
    const client = new Anthropic({ baseURL: moat.origin, apiKey: CLIENT_KEY, maxRetries: 0 });
    const counted = await client.messages.countTokens({ model: 'ant/fx-messages-text', messages: [{ role: 'user', content: 'Hello there' }] });
    expect(counted).toEqual(fixtureJson('count-tokens.response.json'));
    const { data: estimated, response } = await client.messages
      .countTokens({ model: 'fx-chat-text', system: 'Be brief.', messages: [{ role: 'user', content: 'Hello there, how are you today?' }] })
      .withResponse();
    expect(estimated.input_tokens).toBeGreaterThan(10);
    expect(estimated.input_tokens).toBeLessThan(30);
    expect(response.headers.get('x-moat-warnings')).toContain('estimated');
    const models = [];
    for await (const model of client.models.list()) models.push(model.id);
    expect(models).toEqual(['alias-text', 'reasoner', 'limited-text']);
  });

  it('bad input on /v1/messages gets Anthropic-shaped errors, never a 500', async () => {
    const client = new Anthropic({ baseURL: moat.origin, apiKey: CLIENT_KEY, maxRetries: 0 });
    const missingMax = await client.messages.create({ model: 'ant/fx-messages-text', messages: [{ role: 'user', content: 'x' }] } as unknown as Anthropic.MessageCreateParamsNonStreaming).catch((e: unknown) => e);
    expect(missingMax).toBeInstanceOf(Anthropic.BadRequestError);
    expect((missingMax as InstanceType<typeof Anthropic.BadRequestError>).error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    for (const body of ['{not json', '[]', '{"model": 1}']) {
      const response = await fetch(`${moat.origin}/v1/messages?beta=true`, { method: 'POST', headers: { 'x-api-key': CLIENT_KEY, 'anthropic-version': '2023-06-01' }, body });
      expect(response.status).toBe(400);
      expect(response.headers.get('request-id')).toMatch(/^req_/);
      expect(((await response.json()) as { type: string }).type).toBe('error');
    }
    const wrongKey = await new Anthropic({ baseURL: moat.origin, apiKey: 'sk-wrong-0000000000000', maxRetries: 0 }).messages
      .create({ model: 'ant/fx-messages-text', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(wrongKey).toBeInstanceOf(Anthropic.AuthenticationError);
  });
});
