import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAT_CASES, fixtureBytes, fixtureJson } from './support/fixtures.ts';
import { parseConfigText } from '../src/config/index.ts';
import { loadTokenCounter } from '../src/tokens/index.ts';
import { CLIENT_KEY, startTestGateway, TEST_ENV, testConfigYaml, type TestGateway } from './support/start-gateway.ts';

let moat: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  moat = await startTestGateway();
  client = new OpenAI({ baseURL: moat.baseURL, apiKey: CLIENT_KEY, maxRetries: 0 });
});
afterAll(() => moat.close());

type Params = OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;

function requestFor(name: string): Params {
  const request = fixtureJson<Params>(`${name}.request.json`);
  return { ...request, model: `fx-${name}` };
}

/** The parts of a completion a client acts on. */
function essentials(completion: OpenAI.Chat.ChatCompletion) {
  return {
    id: completion.id,
    model: completion.model,
    choices: completion.choices.map((c) => ({
      index: c.index,
      finish_reason: c.finish_reason,
      content: c.message.content,
      // The stream helper adds `parsed_arguments` on its own; compare what the wire carried.
      tool_calls: (c.message.tool_calls ?? []).map((t) =>
        t.type === 'function' ? { id: t.id, type: t.type, name: t.function.name, arguments: t.function.arguments } : t,
      ),
    })),
    usage: completion.usage,
  };
}

describe('official openai client → Moat → OpenAI-shaped upstream', () => {
  for (const name of CHAT_CASES) {
    it(`${name}: the non-streamed answer is the upstream's, unchanged`, async () => {
      const completion = await client.chat.completions.create(requestFor(name));
      expect(completion).toEqual(fixtureJson(`${name}.response.json`));
    });

    it(`${name}: chat.completions.stream() gives the same result as the non-streamed call`, async () => {
      const plain = await client.chat.completions.create(requestFor(name));
      const streamed = await client.chat.completions
        .stream({ ...requestFor(name), stream: true, stream_options: { include_usage: true } })
        .finalChatCompletion();
      expect(essentials(streamed)).toEqual(essentials(plain));
    });

    it(`${name}: streamed chunks arrive exactly as the upstream sent them`, async () => {
      const stream = await client.chat.completions.create({ ...requestFor(name), stream: true, stream_options: { include_usage: true } });
      const chunks: unknown[] = [];
      for await (const chunk of stream) chunks.push(chunk);
      const expected = fixtureBytes(`${name}.stream.sse`)
        .toString('utf8')
        .split('\n\n')
        .filter((e) => e.startsWith('data: ') && e !== 'data: [DONE]')
        .map((e) => JSON.parse(e.slice(6)) as unknown);
      expect(chunks).toEqual(expected);
    });
  }

  it('parallel tool calls arrive with their streamed argument deltas joined', async () => {
    const final = await client.chat.completions
      .stream({ ...requestFor('chat-parallel-tools'), stream: true })
      .finalChatCompletion();
    const calls = final.choices[0]!.message.tool_calls!;
    expect(calls.map((c) => c.type === 'function' && c.function.name)).toEqual(['get_weather', 'get_time']);
    expect(calls.map((c) => c.type === 'function' && JSON.parse(c.function.arguments))).toEqual([
      { location: 'Paris, France', unit: 'celsius' },
      { timezone: 'Asia/Tokyo' },
    ]);
    expect(final.choices[0]!.finish_reason).toBe('tool_calls');
  });

  it('reasoning usage reaches the client and the metrics', async () => {
    const completion = await client.chat.completions.create(requestFor('chat-reasoning'));
    expect(completion.usage?.completion_tokens_details?.reasoning_tokens).toBe(1152);
    const metrics = await (await fetch(`${moat.origin}/metrics`)).text();
    expect(metrics).toMatch(/moat_tokens_total\{provider="fake",model_route="fx-\*",kind="reasoning"\} [1-9]\d*/);
  });

  it('embeddings pass through', async () => {
    const result = await client.embeddings.create({ model: 'fx-embed', input: 'hello', encoding_format: 'float' });
    expect(result).toEqual(fixtureJson('embeddings.response.json'));
    expect(moat.upstream.lastRequest().path).toBe('/v1/embeddings');
  });

  it('lists the configured exact model names', async () => {
    const models = [];
    for await (const model of client.models.list()) models.push(model.id);
    expect(models).toEqual(['alias-text', 'reasoner', 'limited-text']);
  });

  it("answers with Moat's own x-request-id, and echoes the caller's trace id beside it", async () => {
    const { response } = await client.chat.completions.create(requestFor('chat-text')).withResponse();
    expect(response.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
    expect(response.headers.get('x-client-request-id')).toBeNull();
    // A caller's id is never Moat's: it keys the ledger, and a repeated one would be billed once.
    const ids = new Set<string>();
    for (let i = 0; i < 2; i++) {
      const own = await client.chat.completions.create(requestFor('chat-text'), { headers: { 'x-request-id': 'trace-42' } }).withResponse();
      expect(own.response.headers.get('x-client-request-id')).toBe('trace-42');
      ids.add(own.response.headers.get('x-request-id')!);
      expect(moat.upstream.lastRequest().headers['x-request-id']).toBe(own.response.headers.get('x-request-id'));
    }
    expect(ids.size).toBe(2);
    const viaClientHeader = await client.chat.completions.create(requestFor('chat-text'), { headers: { 'x-client-request-id': 'trace-43' } }).withResponse();
    expect(viaClientHeader.response.headers.get('x-client-request-id')).toBe('trace-43');
  });
});

describe('passthrough', () => {
  it('asks the upstream for usage on every stream, and hides the usage chunk from a client that did not ask', async () => {
    const before = await (await fetch(`${moat.origin}/metrics`)).text();
    const tokensBefore = Number(/moat_tokens_total\{provider="fake",model_route="fx-\*",kind="output"\} (\d+)/.exec(before)?.[1] ?? 0);
    const stream = await client.chat.completions.create({ ...requestFor('chat-text'), stream: true });
    const chunks: Array<{ choices: unknown[]; usage?: unknown }> = [];
    for await (const chunk of stream) chunks.push(chunk as unknown as (typeof chunks)[number]);
    const upstreamEvents = fixtureBytes('chat-text.stream.sse').toString('utf8').split('\n\n').filter((e) => e.startsWith('data: {'));
    expect(chunks).toHaveLength(upstreamEvents.length - 1);
    expect(chunks.every((c) => c.choices.length > 0)).toBe(true);
    const sent = JSON.parse(moat.upstream.lastRequest().body.toString()) as { stream_options?: unknown };
    expect(sent.stream_options).toEqual({ include_usage: true });
    const after = await (await fetch(`${moat.origin}/metrics`)).text();
    const tokensAfter = Number(/moat_tokens_total\{provider="fake",model_route="fx-\*",kind="output"\} (\d+)/.exec(after)?.[1] ?? 0);
    expect(tokensAfter - tokensBefore).toBe(23);
  });

  it('forwards the body byte for byte when the model name needs no change', async () => {
    const original = fixtureBytes('chat-unknown-fields.request.json');
    const body = Buffer.from(original.toString('utf8').replace(/"model"\s*:\s*"[^"]*"/, '"model": "fx-chat-unknown-fields"'));
    const response = await fetch(`${moat.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json' },
      body,
    });
    expect(response.status).toBe(200);
    expect(moat.upstream.lastRequest().body.equals(body)).toBe(true);
    const answer = (await response.json()) as Record<string, unknown>;
    expect(answer.x_upstream_extra).toEqual({ a: 1 });
  });

  it('changes only the model value when a name maps to another upstream model', async () => {
    const body = Buffer.from('{"model" :  "alias-text", "messages":[{"role":"user","content":"hi"}], "seed": 9007199254740993, "x_new": 1.50}');
    const response = await fetch(`${moat.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${CLIENT_KEY}` },
      body,
    });
    expect(response.status).toBe(200);
    expect(moat.upstream.lastRequest().body.toString()).toBe(
      '{"model" :  "fx-chat-text", "messages":[{"role":"user","content":"hi"}], "seed": 9007199254740993, "x_new": 1.50}',
    );
    expect(response.headers.get('x-moat-served-model')).toBe('fake/fx-chat-text');
  });

  it('sends max_tokens as max_completion_tokens to a reasoning model, and says so', async () => {
    const { response } = await client.chat.completions
      .create({ model: 'reasoner', messages: [{ role: 'user', content: 'Is 1013 prime?' }], max_tokens: 500 })
      .withResponse();
    const sent = JSON.parse(moat.upstream.lastRequest().body.toString()) as Record<string, unknown>;
    expect(sent.max_completion_tokens).toBe(500);
    expect(sent).not.toHaveProperty('max_tokens');
    expect(response.headers.get('x-moat-warnings')).toContain('max_completion_tokens');
  });

  it('drops an option the target cannot use when it does not change the answer, with a warning', async () => {
    const { response } = await client.chat.completions
      .create({ model: 'limited-text', messages: [{ role: 'user', content: 'hi' }], user: 'u-1', metadata: { a: 'b' } })
      .withResponse();
    const sent = JSON.parse(moat.upstream.lastRequest().body.toString()) as Record<string, unknown>;
    expect(sent).not.toHaveProperty('user');
    expect(sent).not.toHaveProperty('metadata');
    expect(response.headers.get('x-moat-warnings')).toBe(
      "dropped 'user': not supported by provider 'limited'; dropped 'metadata': not supported by provider 'limited'",
    );
  });

  it('refuses an option the target cannot honour when ignoring it would change the answer', async () => {
    const before = moat.upstream.requests.length;
    for (const extra of [{ logprobs: true }, { n: 2 }, { response_format: { type: 'json_object' as const } }]) {
      const error = await client.chat.completions
        .create({ model: 'limited-text', messages: [{ role: 'user', content: 'hi' }], ...extra })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      const bad = error as InstanceType<typeof OpenAI.BadRequestError>;
      expect(bad.code).toBe('unsupported_parameter');
      expect(bad.param).toBe(Object.keys(extra)[0]);
    }
    // n: 1 and logprobs: false ask for nothing the target lacks.
    await client.chat.completions.create({ model: 'limited-text', messages: [{ role: 'user', content: 'hi' }], n: 1, logprobs: false });
    expect(moat.upstream.requests.length).toBe(before + 1);
  });
});

describe('tool loop and self-hosted reasoning through the OpenAI client', () => {
  it('a full tool-result round trip passes through (the upstream checks tool messages answer tool calls)', async () => {
    const request = requestFor('chat-parallel-tools');
    const first = await client.chat.completions.create(request);
    const calls = first.choices[0]!.message.tool_calls!;
    const second = await client.chat.completions.create({
      ...request,
      model: 'fx-chat-text',
      messages: [
        ...request.messages,
        first.choices[0]!.message,
        ...calls.map((c): OpenAI.Chat.ChatCompletionToolMessageParam => ({ role: 'tool', tool_call_id: c.id, content: 'done' })),
      ],
    });
    expect(second.choices[0]!.finish_reason).toBe('stop');
    const sent = JSON.parse(moat.upstream.lastRequest().body.toString()) as { messages: Array<{ role: string; tool_call_id?: string }> };
    expect(sent.messages.filter((m) => m.role === 'tool').map((m) => m.tool_call_id)).toEqual(calls.map((c) => c.id));
    // A tool message that answers nothing is refused by the upstream, and the client reads its 400.
    const orphan = await client.chat.completions
      .create({ model: 'fx-chat-text', messages: [{ role: 'user', content: 'x' }, { role: 'tool', tool_call_id: 'call_nope', content: 'done' }] })
      .catch((e: unknown) => e);
    expect(orphan).toBeInstanceOf(OpenAI.BadRequestError);
  });

  it('a <think>-tag model answers OpenAI clients with reasoning_content split from the text', async () => {
    // Moat counts the reasoning these servers leave uncounted: with o200k once loaded, so load it first
    // for the stream and the body to be counted alike (docs/veil.md).
    await loadTokenCounter();
    const strict = await startTestGateway({
      config: (url, anthropicUrl) =>
        parseConfigText(
          testConfigYaml(url, anthropicUrl).replace('models:\n', 'models:\n  - { name: "qwq", provider: limited, model: fx-think-tags, reasoningFormat: think-tags }\n'),
          'test',
          TEST_ENV,
        ),
    });
    try {
      const qwq = new OpenAI({ baseURL: strict.baseURL, apiKey: CLIENT_KEY, maxRetries: 0 });
      const params = { model: 'qwq', messages: [{ role: 'user' as const, content: 'A haiku about rain.' }] };
      const plain = await qwq.chat.completions.create(params);
      const message = plain.choices[0]!.message as OpenAI.Chat.ChatCompletionMessage & { reasoning_content?: string };
      expect(message.content).toBe('Soft rain on the roof\nwhispers to the sleeping town\nmorning finds it gone');
      expect(message.reasoning_content).toBe('\nThe user wants a haiku about rain. Five, seven, five.\n');
      const streamed = await qwq.chat.completions.stream({ ...params, stream: true, stream_options: { include_usage: true } }).finalChatCompletion();
      expect(streamed.choices[0]!.message.content).toBe(message.content);
      expect(streamed.usage).toEqual(plain.usage);
    } finally {
      await strict.close();
    }
  });
});
