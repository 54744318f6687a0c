import { readdirSync, readFileSync } from 'node:fs';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { foldEvents, type CanonicalEvent, type CanonicalRequest, type CanonicalResponse, type Usage } from '../../canonical/index.ts';
import { ChatStreamDecoder } from '../../providers/openai/chat-stream-decoder.ts';
import { SseDecoder } from '../../streaming/index.ts';
import { encodeChatCompletion } from './encode-response.ts';
import { OpenAIChatStreamEncoder } from './stream-encoder.ts';

const fixtures = new URL('../../providers/openai/__fixtures__/', import.meta.url);
const cases = readdirSync(fixtures)
  .filter((f) => /^chat-.*\.stream\.sse$/.test(f))
  .map((f) => f.replace(/\.stream\.sse$/, ''))
  .sort();

const enc = new TextEncoder();

function request(includeUsage: boolean, model = 'client-model'): CanonicalRequest {
  return { model, stream: true, includeUsage, messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }], options: {} };
}

/** Decodes OpenAI SSE bytes with the provider's decoder: the events, in order. */
function decodeSse(sse: Uint8Array | string): CanonicalEvent[] {
  const events: CanonicalEvent[] = [];
  const decoder = new ChatStreamDecoder((e) => events.push(e));
  decoder.feed(typeof sse === 'string' ? enc.encode(sse) : sse);
  decoder.end();
  expect(decoder.done).toBe(true);
  return events;
}

function encodeStream(events: CanonicalEvent[], includeUsage = true): string {
  const encoder = new OpenAIChatStreamEncoder(request(includeUsage));
  return events.map((e) => encoder.push(e)).join('') + encoder.end();
}

/** The SSE `data` of every event, through the one SSE parser. */
function dataOf(sse: string): string[] {
  const data: string[] = [];
  const decoder = new SseDecoder((message) => data.push(message.data));
  decoder.feed(enc.encode(sse));
  decoder.end();
  return data;
}

interface WireChunk {
  id: string;
  object: string;
  created: number;
  model: string;
  choices: Array<{ index: number; delta: Record<string, unknown> & { tool_calls?: Array<Record<string, unknown>> }; finish_reason: string | null }>;
  usage?: Record<string, unknown>;
}

const chunksOf = (sse: string): WireChunk[] =>
  dataOf(sse)
    .filter((d) => d !== '[DONE]')
    .map((d) => JSON.parse(d) as WireChunk);

/** What the official client's stream helper makes of the SSE. */
async function sdkFinal(sse: string): Promise<OpenAI.Chat.Completions.ChatCompletion> {
  const client = new OpenAI({
    apiKey: 'sk-test',
    baseURL: 'http://moat.invalid/v1',
    maxRetries: 0,
    fetch: () => Promise.resolve(new Response(sse, { headers: { 'content-type': 'text/event-stream' } })),
  });
  return client.chat.completions.stream({ model: 'client-model', messages: [{ role: 'user', content: 'hi' }] }).finalChatCompletion();
}

const start: CanonicalEvent = { type: 'start', id: 'msg_1', model: 'claude-x', created: 1700000000 };
const usage: Usage = { inputTokens: 12, outputTokens: 7, reasoningTokens: 3, cachedInputTokens: 4, cacheWriteTokens: 2 };

describe('OpenAIChatStreamEncoder on the recorded fixtures (translation round trip)', () => {
  it('finds every stream fixture', () => {
    expect(cases).toEqual(['chat-parallel-tools', 'chat-reasoning', 'chat-text', 'chat-unknown-fields']);
  });

  for (const name of cases) {
    describe(name, () => {
      const original = decodeSse(new Uint8Array(readFileSync(new URL(`${name}.stream.sse`, fixtures))));
      const originalFold = foldEvents(original);
      const response = JSON.parse(readFileSync(new URL(`${name}.response.json`, fixtures), 'utf8')) as OpenAI.Chat.Completions.ChatCompletion;

      it('re-decodes to the same fold', () => {
        const sse = encodeStream(original);
        expect(sse.endsWith('data: [DONE]\n\n')).toBe(true);
        expect(foldEvents(decodeSse(sse))).toEqual(originalFold);
      });

      it('re-decodes to the same events apart from how the upstream chunked them', () => {
        // The encoder writes one chunk per event, so the event list itself survives.
        expect(decodeSse(encodeStream(original))).toEqual(original);
      });

      it('gives the official client the recorded answer', async () => {
        const final = await sdkFinal(encodeStream(original));
        expect(final.id).toBe(response.id);
        expect(final.model).toBe(response.model);
        expect(final.created).toBe(response.created);
        expect(final.choices).toHaveLength(response.choices.length);
        const [got, want] = [final.choices[0]!, response.choices[0]!];
        expect(got.finish_reason).toBe(want.finish_reason);
        expect(got.message.role).toBe('assistant');
        expect(got.message.content).toBe(want.message.content);
        expect(got.message.tool_calls).toEqual(want.message.tool_calls);
        expect(final.usage).toEqual({
          prompt_tokens: response.usage!.prompt_tokens,
          completion_tokens: response.usage!.completion_tokens,
          total_tokens: response.usage!.total_tokens,
          prompt_tokens_details: { cached_tokens: response.usage!.prompt_tokens_details!.cached_tokens },
          completion_tokens_details: { reasoning_tokens: response.usage!.completion_tokens_details!.reasoning_tokens },
        });
      });

      it('sends the role only in the first chunk of the choice', () => {
        const chunks = chunksOf(encodeStream(original)).filter((c) => c.choices.length > 0);
        expect(chunks.length).toBeGreaterThan(1);
        chunks.forEach((c, i) => expect(c.choices[0]!.delta.role, `chunk ${i}`).toBe(i === 0 ? 'assistant' : undefined));
      });

      it('stamps every chunk with the upstream id, model and created', () => {
        for (const c of chunksOf(encodeStream(original))) {
          expect(c).toMatchObject({ id: response.id, object: 'chat.completion.chunk', created: response.created, model: response.model });
        }
      });
    });
  }

  it('sends tool-call id, type and name only in the first delta of each tool index', () => {
    const original = decodeSse(new Uint8Array(readFileSync(new URL('chat-parallel-tools.stream.sse', fixtures))));
    const deltas = chunksOf(encodeStream(original)).flatMap((c) => c.choices.flatMap((ch) => ch.delta.tool_calls ?? []));
    const seen = new Set<unknown>();
    let firsts = 0;
    for (const call of deltas) {
      const fn = call.function as Record<string, unknown>;
      if (!seen.has(call.index)) {
        seen.add(call.index);
        firsts++;
        expect(call).toEqual({ index: call.index, id: expect.stringMatching(/^call_/), type: 'function', function: { name: expect.any(String), arguments: expect.any(String) } });
      } else {
        expect(Object.keys(call).sort()).toEqual(['function', 'index']);
        expect(Object.keys(fn)).toEqual(['arguments']);
      }
    }
    expect(firsts).toBe(2);
    expect(deltas.length).toBeGreaterThan(2);
  });
});

describe('OpenAIChatStreamEncoder chunks', () => {
  it('writes exact chunks for a short text answer', () => {
    const sse = encodeStream(
      [
        start,
        { type: 'text-delta', choice: 0, text: 'Hi' },
        { type: 'text-delta', choice: 0, text: '!' },
        { type: 'finish', choice: 0, reason: 'stop', stopSequence: 'END' },
        { type: 'usage', usage },
      ],
      true,
    );
    const head = { id: 'msg_1', object: 'chat.completion.chunk', created: 1700000000, model: 'claude-x' };
    const frame = (body: unknown) => `data: ${JSON.stringify({ ...head, ...(body as object) })}\n\n`;
    expect(sse).toBe(
      frame({ choices: [{ index: 0, delta: { role: 'assistant', content: 'Hi' }, logprobs: null, finish_reason: null }] }) +
        frame({ choices: [{ index: 0, delta: { content: '!' }, logprobs: null, finish_reason: null }] }) +
        frame({ choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }] }) +
        frame({
          choices: [],
          usage: {
            prompt_tokens: 12,
            completion_tokens: 7,
            total_tokens: 19,
            prompt_tokens_details: { cached_tokens: 4 },
            completion_tokens_details: { reasoning_tokens: 3 },
          },
        }) +
        'data: [DONE]\n\n',
    );
  });

  it('sends a usage chunk with no choices only when the client asked for usage', () => {
    const events: CanonicalEvent[] = [start, { type: 'text-delta', choice: 0, text: 'x' }, { type: 'finish', choice: 0, reason: 'stop' }, { type: 'usage', usage }];
    const withUsage = chunksOf(encodeStream(events, true));
    expect(withUsage.filter((c) => c.choices.length === 0)).toHaveLength(1);
    expect(withUsage.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 } });
    expect(withUsage.filter((c) => 'usage' in c)).toHaveLength(1);

    const without = encodeStream(events, false);
    expect(chunksOf(without).filter((c) => c.choices.length === 0 || 'usage' in c)).toEqual([]);
    expect(without.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('sends no usage chunk when the upstream gave no usage', () => {
    const sse = encodeStream([start, { type: 'text-delta', choice: 0, text: 'x' }, { type: 'finish', choice: 0, reason: 'stop' }], true);
    expect(chunksOf(sse).every((c) => c.choices.length === 1)).toBe(true);
  });

  it('ends with [DONE] exactly once, even for an empty stream', () => {
    const encoder = new OpenAIChatStreamEncoder(request(true));
    expect(encoder.end()).toBe('data: [DONE]\n\n');
    const data = dataOf(encodeStream([start, { type: 'text-delta', choice: 0, text: 'x' }, { type: 'finish', choice: 0, reason: 'stop' }]));
    expect(data.filter((d) => d === '[DONE]')).toHaveLength(1);
    expect(data.at(-1)).toBe('[DONE]');
  });

  it('writes nothing for start, usage and error events', () => {
    const encoder = new OpenAIChatStreamEncoder(request(true));
    expect(encoder.push(start)).toBe('');
    expect(encoder.push({ type: 'usage', usage })).toBe('');
    expect(encoder.push({ type: 'error', message: 'boom' })).toBe('');
  });

  it("uses the request's model when the upstream's start has none", () => {
    const [chunk] = chunksOf(encodeStream([{ type: 'start', id: 'x', model: '', created: 5 }, { type: 'text-delta', choice: 0, text: 'a' }]));
    expect(chunk).toMatchObject({ id: 'x', model: 'client-model', created: 5 });
  });

  it('sends the role in the first chunk of each choice, whatever that chunk holds', () => {
    const chunks = chunksOf(
      encodeStream([
        start,
        { type: 'tool-call-delta', choice: 1, index: 0, id: 'c', name: 'f', argumentsDelta: '' },
        { type: 'text-delta', choice: 0, text: 'a' },
        { type: 'tool-call-delta', choice: 1, index: 0, argumentsDelta: '{}' },
        { type: 'text-delta', choice: 0, text: 'b' },
        { type: 'finish', choice: 0, reason: 'stop' },
        { type: 'finish', choice: 1, reason: 'tool_calls' },
        { type: 'finish', choice: 2, reason: 'length' },
      ]),
    );
    const roles = chunks.map((c) => [c.choices[0]!.index, c.choices[0]!.delta.role]);
    expect(roles).toEqual([
      [1, 'assistant'],
      [0, 'assistant'],
      [1, undefined],
      [0, undefined],
      [0, undefined],
      [1, undefined],
      [2, 'assistant'],
    ]);
  });

  it('gives tool calls the fold of their events, through the official client too', async () => {
    const events: CanonicalEvent[] = [
      start,
      { type: 'text-delta', choice: 0, text: 'Checking.' },
      { type: 'tool-call-delta', choice: 0, index: 0, id: 'toolu_1', name: 'get_weather', argumentsDelta: '' },
      { type: 'tool-call-delta', choice: 0, index: 0, argumentsDelta: '{"city":' },
      { type: 'tool-call-delta', choice: 0, index: 0, argumentsDelta: '"Paris"}' },
      { type: 'tool-call-delta', choice: 0, index: 1, id: 'toolu_2', name: 'get_time', argumentsDelta: '{}' },
      { type: 'finish', choice: 0, reason: 'tool_calls' },
      { type: 'usage', usage },
    ];
    const sse = encodeStream(events);
    const fold = foldEvents(events);
    expect(foldEvents(decodeSse(sse))).toEqual({ ...fold, usage: { ...usage, cacheWriteTokens: 0 } });
    const final = await sdkFinal(sse);
    expect(final.choices[0]!.message).toMatchObject({
      role: 'assistant',
      content: 'Checking.',
      tool_calls: [
        { id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
        { id: 'toolu_2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
      ],
    });
    expect(final.choices[0]!.finish_reason).toBe('tool_calls');
  });
});

describe('OpenAIChatStreamEncoder reasoning', () => {
  const events: CanonicalEvent[] = [
    start,
    { type: 'reasoning-delta', choice: 0, text: 'First ' },
    { type: 'reasoning-delta', choice: 0, text: 'block.' },
    { type: 'reasoning-signature', choice: 0, signature: 'sig-A' },
    { type: 'redacted-reasoning', choice: 0, data: 'ENCRYPTED' },
    { type: 'reasoning-delta', choice: 0, text: 'Second.' },
    { type: 'reasoning-signature', choice: 0, signature: 'sig-B' },
    { type: 'text-delta', choice: 0, text: 'Answer.' },
    { type: 'finish', choice: 0, reason: 'stop' },
  ];
  const block0 = { type: 'reasoning.text', text: 'First block.', signature: 'sig-A', index: 0 };
  const block1 = { type: 'reasoning.encrypted', data: 'ENCRYPTED', index: 1 };
  const block2 = { type: 'reasoning.text', text: 'Second.', signature: 'sig-B', index: 2 };

  it('streams reasoning text as reasoning_content and sends reasoning_details whole as each block completes', () => {
    const deltas = chunksOf(encodeStream(events)).map((c) => c.choices[0]!.delta);
    expect(deltas).toEqual([
      { role: 'assistant', reasoning_content: 'First ' },
      { reasoning_content: 'block.' },
      { reasoning_details: [block0] },
      { reasoning_details: [block0, block1] },
      { reasoning_content: 'Second.' },
      { reasoning_details: [block0, block1, block2] },
      { content: 'Answer.' },
      {},
    ]);
  });

  it('streams the same reasoning_details the non-streamed answer carries', () => {
    const deltas = chunksOf(encodeStream(events)).map((c) => c.choices[0]!.delta);
    const last = deltas.filter((d) => 'reasoning_details' in d).at(-1);
    const [choice] = encodeChatCompletion(foldEvents(events)).choices as Array<{ message: Record<string, unknown> }>;
    expect(last!.reasoning_details).toEqual(choice!.message.reasoning_details);
  });

  it('leaves the official client holding every block, since it keeps the last value', async () => {
    const final = await sdkFinal(encodeStream(events));
    const message = final.choices[0]!.message as unknown as Record<string, unknown>;
    expect(message.reasoning_details).toEqual([block0, block1, block2]);
    expect(message.content).toBe('Answer.');
  });

  it('keeps the reasoning text through a re-decode', () => {
    const refold: CanonicalResponse = foldEvents(decodeSse(encodeStream(events)));
    expect(refold.choices[0]!.reasoning).toBe('First block.Second.');
    expect(refold.choices[0]!.text).toBe('Answer.');
  });

  it('keeps reasoning blocks apart per choice', () => {
    const deltas = chunksOf(
      encodeStream([
        start,
        { type: 'redacted-reasoning', choice: 0, data: 'A' },
        { type: 'reasoning-delta', choice: 1, text: 't' },
        { type: 'reasoning-signature', choice: 1, signature: 's' },
        { type: 'redacted-reasoning', choice: 0, data: 'B' },
      ]),
    ).map((c) => [c.choices[0]!.index, c.choices[0]!.delta.reasoning_details]);
    expect(deltas).toEqual([
      [0, [{ type: 'reasoning.encrypted', data: 'A', index: 0 }]],
      [1, undefined],
      [1, [{ type: 'reasoning.text', text: 't', signature: 's', index: 0 }]],
      [
        0,
        [
          { type: 'reasoning.encrypted', data: 'A', index: 0 },
          { type: 'reasoning.encrypted', data: 'B', index: 1 },
        ],
      ],
    ]);
  });
});
