import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldEvents, type CanonicalEvent, type CanonicalResponse, type FinishReason, type Usage } from '../../canonical/index.ts';
import { chatCompletionToEvents } from '../../providers/openai/chat-to-events.ts';
import { encodeChatCompletion, encodeFinishReason, encodeUsage, reasoningDetails } from './encode-response.ts';

const fixtures = new URL('../../providers/openai/__fixtures__/', import.meta.url);
const responseFixtures = readdirSync(fixtures)
  .filter((f) => /^chat-.*\.response\.json$/.test(f))
  .sort();

const start: CanonicalEvent = { type: 'start', id: 'msg_1', model: 'claude-x', created: 1700000000 };
const usage: Usage = { inputTokens: 100, outputTokens: 50, reasoningTokens: 30, cachedInputTokens: 40, cacheWriteTokens: 10 };

/** The single choice's message of the completion the events fold to. */
function messageOf(events: CanonicalEvent[]): Record<string, unknown> {
  const choices = encodeChatCompletion(foldEvents([start, ...events])).choices as Array<{ message: Record<string, unknown> }>;
  expect(choices).toHaveLength(1);
  return choices[0]!.message;
}

describe('encodeChatCompletion', () => {
  it('encodes a text answer as a whole chat.completion object', () => {
    const response = foldEvents([
      start,
      { type: 'text-delta', choice: 0, text: 'Hello, ' },
      { type: 'text-delta', choice: 0, text: 'world.' },
      { type: 'finish', choice: 0, reason: 'stop' },
      { type: 'usage', usage },
    ]);
    expect(encodeChatCompletion(response)).toEqual({
      id: 'msg_1',
      object: 'chat.completion',
      created: 1700000000,
      model: 'claude-x',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hello, world.', refusal: null },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: 100,
        completion_tokens: 50,
        total_tokens: 150,
        prompt_tokens_details: { cached_tokens: 40 },
        completion_tokens_details: { reasoning_tokens: 30 },
      },
    });
  });

  it('leaves usage out when the response has none', () => {
    const encoded = encodeChatCompletion(foldEvents([start, { type: 'text-delta', choice: 0, text: 'x' }, { type: 'finish', choice: 0, reason: 'stop' }]));
    expect(encoded).not.toHaveProperty('usage');
  });

  it('encodes tool calls with null content, in tool index order', () => {
    const message = messageOf([
      { type: 'tool-call-delta', choice: 0, index: 0, id: 'toolu_1', name: 'get_weather', argumentsDelta: '{"city":' },
      { type: 'tool-call-delta', choice: 0, index: 1, id: 'toolu_2', name: 'get_time', argumentsDelta: '' },
      { type: 'tool-call-delta', choice: 0, index: 0, argumentsDelta: '"Paris"}' },
      { type: 'tool-call-delta', choice: 0, index: 1, argumentsDelta: '{}' },
      { type: 'finish', choice: 0, reason: 'tool_calls' },
    ]);
    expect(message).toEqual({
      role: 'assistant',
      content: null,
      refusal: null,
      tool_calls: [
        { id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
        { id: 'toolu_2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
      ],
    });
  });

  it('keeps text that came before the tool calls', () => {
    const message = messageOf([
      { type: 'text-delta', choice: 0, text: 'Let me check.' },
      { type: 'tool-call-delta', choice: 0, index: 0, id: 'c', name: 'f', argumentsDelta: '{}' },
      { type: 'finish', choice: 0, reason: 'tool_calls' },
    ]);
    expect(message).toMatchObject({ content: 'Let me check.', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }] });
  });

  it('sends unsigned reasoning as reasoning_content only', () => {
    const message = messageOf([
      { type: 'reasoning-delta', choice: 0, text: 'Think ' },
      { type: 'reasoning-delta', choice: 0, text: 'hard.' },
      { type: 'text-delta', choice: 0, text: '42' },
      { type: 'finish', choice: 0, reason: 'stop' },
    ]);
    expect(message).toEqual({ role: 'assistant', content: '42', refusal: null, reasoning_content: 'Think hard.' });
  });

  it('sends signed and redacted reasoning as reasoning_details too, in order', () => {
    const message = messageOf([
      { type: 'reasoning-delta', choice: 0, text: 'First ' },
      { type: 'reasoning-delta', choice: 0, text: 'block.' },
      { type: 'reasoning-signature', choice: 0, signature: 'sig-A' },
      { type: 'redacted-reasoning', choice: 0, data: 'ENCRYPTED' },
      { type: 'reasoning-delta', choice: 0, text: 'Second.' },
      { type: 'reasoning-signature', choice: 0, signature: 'sig-B' },
      { type: 'text-delta', choice: 0, text: 'Answer.' },
      { type: 'finish', choice: 0, reason: 'stop' },
    ]);
    expect(message).toEqual({
      role: 'assistant',
      content: 'Answer.',
      refusal: null,
      reasoning_content: 'First block.Second.',
      reasoning_details: [
        { type: 'reasoning.text', text: 'First block.', signature: 'sig-A', index: 0 },
        { type: 'reasoning.encrypted', data: 'ENCRYPTED', index: 1 },
        { type: 'reasoning.text', text: 'Second.', signature: 'sig-B', index: 2 },
      ],
    });
  });

  it('sends redacted reasoning alone as reasoning_details without reasoning_content', () => {
    const message = messageOf([
      { type: 'redacted-reasoning', choice: 0, data: 'OPAQUE' },
      { type: 'text-delta', choice: 0, text: 'Hi.' },
      { type: 'finish', choice: 0, reason: 'stop' },
    ]);
    expect(message).toEqual({ role: 'assistant', content: 'Hi.', refusal: null, reasoning_details: [{ type: 'reasoning.encrypted', data: 'OPAQUE', index: 0 }] });
  });

  it('keeps a signature that arrived without reasoning text', () => {
    const message = messageOf([
      { type: 'reasoning-signature', choice: 0, signature: 'sig-only' },
      { type: 'text-delta', choice: 0, text: 'x' },
    ]);
    expect(message.reasoning_details).toEqual([{ type: 'reasoning.text', text: '', signature: 'sig-only', index: 0 }]);
    expect(message).not.toHaveProperty('reasoning_content');
  });

  it('encodes every choice with its own index, message and finish reason', () => {
    const encoded = encodeChatCompletion(
      foldEvents([
        start,
        { type: 'text-delta', choice: 0, text: 'a' },
        { type: 'text-delta', choice: 1, text: 'b' },
        { type: 'finish', choice: 1, reason: 'length' },
        { type: 'finish', choice: 0, reason: 'stop' },
      ]),
    );
    expect(encoded.choices).toEqual([
      { index: 0, message: { role: 'assistant', content: 'a', refusal: null }, logprobs: null, finish_reason: 'stop' },
      { index: 1, message: { role: 'assistant', content: 'b', refusal: null }, logprobs: null, finish_reason: 'length' },
    ]);
  });

  it('maps every finish reason, and a missing one to stop', () => {
    const cases: Array<[FinishReason | null, string]> = [
      ['stop', 'stop'],
      ['length', 'length'],
      ['tool_calls', 'tool_calls'],
      ['content_filter', 'content_filter'],
      ['other', 'stop'],
      [null, 'stop'],
    ];
    for (const [reason, wire] of cases) {
      const events: CanonicalEvent[] = [start, { type: 'text-delta', choice: 0, text: 'x' }];
      if (reason) events.push({ type: 'finish', choice: 0, reason, ...(reason === 'stop' ? { stopSequence: 'END' } : {}) });
      const [choice] = encodeChatCompletion(foldEvents(events)).choices as Array<{ finish_reason: string }>;
      expect(choice!.finish_reason, String(reason)).toBe(wire);
    }
  });
});

describe('encodeFinishReason', () => {
  it('keeps null for a choice that has not finished (stream chunks)', () => {
    expect(encodeFinishReason(null)).toBeNull();
    expect(encodeFinishReason('other')).toBe('stop');
    expect(encodeFinishReason('content_filter')).toBe('content_filter');
  });
});

describe('encodeUsage', () => {
  it('maps cached and reasoning tokens; cache writes stay counted in prompt_tokens', () => {
    expect(encodeUsage(usage)).toEqual({
      prompt_tokens: 100,
      completion_tokens: 50,
      total_tokens: 150,
      prompt_tokens_details: { cached_tokens: 40 },
      completion_tokens_details: { reasoning_tokens: 30 },
    });
  });

  it('totals input and output (property)', () => {
    const count = fc.nat({ max: 10_000_000 });
    fc.assert(
      fc.property(count, count, count, count, count, (inputTokens, outputTokens, reasoningTokens, cachedInputTokens, cacheWriteTokens) => {
        const wire = encodeUsage({ inputTokens, outputTokens, reasoningTokens, cachedInputTokens, cacheWriteTokens });
        expect(wire.total_tokens).toBe(inputTokens + outputTokens);
        expect(wire.prompt_tokens).toBe(inputTokens);
        expect(wire.completion_tokens).toBe(outputTokens);
      }),
    );
  });
});

describe('reasoningDetails', () => {
  it('is null when there is nothing a later turn would need', () => {
    const choice = foldEvents([start, { type: 'reasoning-delta', choice: 0, text: 'unsigned' }, { type: 'text-delta', choice: 0, text: 'x' }]).choices[0]!;
    expect(reasoningDetails(choice)).toBeNull();
  });
});

describe('encodeChatCompletion round trip on the response fixtures', () => {
  it('finds the response fixtures', () => {
    expect(responseFixtures).toEqual([
      'chat-parallel-tools.response.json',
      'chat-reasoning.response.json',
      'chat-text.response.json',
      'chat-unknown-fields.response.json',
    ]);
  });

  for (const file of responseFixtures) {
    it(`${file}: OpenAI → canonical → OpenAI keeps what the client reads`, () => {
      // Read as the official client types it, enough for what is compared.
      const fixture = JSON.parse(readFileSync(new URL(file, fixtures), 'utf8')) as {
        id: string;
        model: string;
        created: number;
        choices: Array<{ index: number; message: { content: string | null; tool_calls?: unknown[] }; finish_reason: string }>;
        usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number; prompt_tokens_details: { cached_tokens: number }; completion_tokens_details: { reasoning_tokens: number } };
      };
      const encoded = encodeChatCompletion(foldEvents(chatCompletionToEvents(fixture)));
      expect(encoded).toMatchObject({ id: fixture.id, object: 'chat.completion', model: fixture.model, created: fixture.created });
      const choices = encoded.choices as typeof fixture.choices;
      expect(choices).toHaveLength(fixture.choices.length);
      fixture.choices.forEach((expected, i) => {
        expect(choices[i]!.index).toBe(expected.index);
        expect(choices[i]!.message.content).toBe(expected.message.content);
        expect(choices[i]!.message.tool_calls).toEqual(expected.message.tool_calls);
        expect(choices[i]!.finish_reason).toBe(expected.finish_reason);
      });
      expect(encoded.usage).toEqual({
        prompt_tokens: fixture.usage.prompt_tokens,
        completion_tokens: fixture.usage.completion_tokens,
        total_tokens: fixture.usage.total_tokens,
        prompt_tokens_details: { cached_tokens: fixture.usage.prompt_tokens_details.cached_tokens },
        completion_tokens_details: { reasoning_tokens: fixture.usage.completion_tokens_details.reasoning_tokens },
      });
    });
  }
});

describe('encodeChatCompletion then chatCompletionToEvents (property)', () => {
  // What the OpenAI wire can carry back: unsigned reasoning, text, tool calls, the four OpenAI finish
  // reasons and usage without cache writes. Reasoning comes first, as chatCompletionToEvents emits it.
  const text = fc.string({ minLength: 1, maxLength: 20 });
  const choice = fc.record({
    reasoning: fc.option(text, { nil: undefined }),
    text: fc.option(text, { nil: undefined }),
    calls: fc.array(fc.record({ id: text, name: text, arguments: fc.string({ maxLength: 30 }) }), { maxLength: 3 }),
    finish: fc.constantFrom<FinishReason>('stop', 'length', 'tool_calls', 'content_filter'),
  });
  const count = fc.nat({ max: 1_000_000 });
  const wireUsage = fc.option(
    fc.record({ inputTokens: count, outputTokens: count, reasoningTokens: count, cachedInputTokens: count, cacheWriteTokens: fc.constant(0) }),
    { nil: undefined },
  );

  it('folds back to the same canonical response', () => {
    fc.assert(
      fc.property(fc.array(choice, { minLength: 1, maxLength: 3 }), wireUsage, (choices, u) => {
        const events: CanonicalEvent[] = [start];
        choices.forEach((c, i) => {
          if (c.reasoning !== undefined) events.push({ type: 'reasoning-delta', choice: i, text: c.reasoning });
          if (c.text !== undefined) events.push({ type: 'text-delta', choice: i, text: c.text });
          c.calls.forEach((call, index) => events.push({ type: 'tool-call-delta', choice: i, index, id: call.id, name: call.name, argumentsDelta: call.arguments }));
          events.push({ type: 'finish', choice: i, reason: c.finish });
        });
        if (u) events.push({ type: 'usage', usage: u });
        const original: CanonicalResponse = foldEvents(events);
        const wire: unknown = JSON.parse(JSON.stringify(encodeChatCompletion(original)));
        expect(foldEvents(chatCompletionToEvents(wire))).toEqual(original);
      }),
      { numRuns: 200 },
    );
  });
});
