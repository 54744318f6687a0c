import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldEvents, ResponseFolder, type CanonicalEvent, type CanonicalResponse } from '../../canonical/index.ts';
import { ChatStreamDecoder } from './chat-stream-decoder.ts';
import { chatCompletionToEvents } from './chat-to-events.ts';
import { splitAt } from '../../../test/support/split-at.ts';

const fixtures = new URL('./__fixtures__/', import.meta.url);
const cases = readdirSync(fixtures)
  .filter((f) => /^chat-.*\.stream\.sse$/.test(f))
  .map((f) => f.replace(/\.stream\.sse$/, ''))
  .sort();

const streamBytes = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`${name}.stream.sse`, fixtures)));
const nonStreamFold = (name: string): CanonicalResponse =>
  foldEvents(chatCompletionToEvents(JSON.parse(readFileSync(new URL(`${name}.response.json`, fixtures), 'utf8'))));

function decode(pieces: Uint8Array[]): { events: CanonicalEvent[]; decoder: ChatStreamDecoder } {
  const events: CanonicalEvent[] = [];
  const decoder = new ChatStreamDecoder((e) => events.push(e));
  for (const piece of pieces) decoder.feed(piece);
  decoder.end();
  return { events, decoder };
}

function foldStream(pieces: Uint8Array[]): CanonicalResponse {
  const folder = new ResponseFolder();
  const decoder = new ChatStreamDecoder((e) => folder.add(e));
  for (const piece of pieces) decoder.feed(piece);
  decoder.end();
  return folder.response;
}

/** Cut points that split a multi-byte UTF-8 character or the `\n\n` that ends an event. */
function awkwardCuts(bytes: Uint8Array): number[] {
  const cuts: number[] = [];
  for (let i = 1; i < bytes.length; i++) {
    const continuation = (bytes[i]! & 0xc0) === 0x80;
    const insideBlankLine = bytes[i - 1] === 0x0a && bytes[i] === 0x0a;
    if (continuation || insideBlankLine) cuts.push(i);
  }
  return cuts;
}

const enc = new TextEncoder();

describe('ChatStreamDecoder on the recorded fixtures', () => {
  it('finds every stream fixture and its response', () => {
    expect(cases).toEqual(['chat-parallel-tools', 'chat-reasoning', 'chat-text', 'chat-unknown-fields']);
  });

  for (const name of cases) {
    describe(name, () => {
      it('folds the stream to the non-stream result', () => {
        const { events, decoder } = decode([streamBytes(name)]);
        expect(events.filter((e) => e.type === 'error')).toEqual([]);
        expect(events.filter((e) => e.type === 'start')).toHaveLength(1);
        expect(decoder.done).toBe(true);
        const folded = foldEvents(events);
        expect(folded).toEqual(nonStreamFold(name));
        expect(folded.choices).toHaveLength(1);
      });

      it('gives the same fold however the bytes are split (property)', () => {
        const bytes = streamBytes(name);
        const awkward = awkwardCuts(bytes);
        expect(awkward.length).toBeGreaterThan(0);
        const expected = nonStreamFold(name);
        const cut = fc.oneof(fc.integer({ min: 0, max: bytes.length }), fc.constantFrom(...awkward));
        fc.assert(
          fc.property(fc.array(cut, { maxLength: 60 }), (cuts) => {
            expect(foldStream(splitAt(bytes, cuts))).toEqual(expected);
          }),
          { numRuns: 200 },
        );
      });
    });
  }

  it('folds correctly when fed one byte at a time', () => {
    for (const name of cases) {
      const bytes = streamBytes(name);
      const pieces = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
      expect(foldStream(pieces)).toEqual(nonStreamFold(name));
    }
  });

  it('decodes the parallel tool calls with their ids, names, arguments and usage', () => {
    const folded = foldStream([streamBytes('chat-parallel-tools')]);
    expect(folded.id).toBe('chatcmpl-BxR6aHc3Ty8oWq2Lm5NvE0gUi7KpZ');
    expect(folded.model).toBe('gpt-4o-2024-08-06');
    expect(folded.created).toBe(1753870631);
    const weather = { id: 'call_q8Xk2mT4vLr9Bn3cZpW6yHsA', name: 'get_weather', arguments: '{"location":"Paris, France","unit":"celsius"}' };
    const time = { id: 'call_R5dJw0eFh7NgKu1oYb4ViMxC', name: 'get_time', arguments: '{"timezone":"Asia/Tokyo"}' };
    expect(folded.choices[0]).toEqual({
      index: 0,
      parts: [
        { type: 'tool-call', ...weather },
        { type: 'tool-call', ...time },
      ],
      text: '',
      reasoning: '',
      toolCalls: [weather, time],
      finishReason: 'tool_calls',
      stopSequence: null,
    });
    expect(folded.usage).toEqual({ inputTokens: 118, outputTokens: 52, reasoningTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0 });
    expect(folded.error).toBeNull();
  });

  it('decodes the reasoning answer, its non-ASCII text and its reasoning token count', () => {
    const folded = foldStream([streamBytes('chat-reasoning')]);
    expect(folded.model).toBe('o3-mini-2025-01-31');
    const choice = folded.choices[0]!;
    expect(choice.text).toBe(
      'Yes. 1013 is prime: it is odd, does not end in 5, its digit sum (5) is not divisible by 3, and none of 7, 11, 13, 17, 19, 23, 29 or 31 divides it (√1013 ≈ 31.8).',
    );
    // Chat Completions streams no reasoning text; only the usage shows the reasoning.
    expect(choice.reasoning).toBe('');
    expect(choice.parts).toEqual([{ type: 'text', text: choice.text }]);
    expect(choice.toolCalls).toEqual([]);
    expect(choice.finishReason).toBe('stop');
    expect(choice.stopSequence).toBeNull();
    expect(folded.usage).toEqual({ inputTokens: 27, outputTokens: 1216, reasoningTokens: 1152, cachedInputTokens: 0, cacheWriteTokens: 0 });
  });

  it('decodes plain text and text with unknown upstream fields', () => {
    expect(foldStream([streamBytes('chat-text')]).choices[0]!.text).toBe(
      'The capital of France is Paris. It sits on the Seine and is home to about 2.1 million people.',
    );
    const unknown = foldStream([streamBytes('chat-unknown-fields')]);
    expect(unknown.choices[0]!.text).toBe('Grüße aus München! How can I help?');
    expect(unknown.choices[0]!.parts).toEqual([{ type: 'text', text: 'Grüße aus München! How can I help?' }]);
    expect(unknown.usage).toEqual({ inputTokens: 22, outputTokens: 13, reasoningTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0 });
  });
});

describe('ChatStreamDecoder on malformed and final events', () => {
  const chunk = (content: string): string =>
    `data: ${JSON.stringify({ id: 'c1', model: 'm', created: 7, choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;

  it('reports an event that is not JSON as an error and keeps decoding', () => {
    const { events, decoder } = decode([enc.encode(`${chunk('a')}data: {"id": "c1", "choices": [\n\n${chunk('b')}data: [DONE]\n\n`)]);
    expect(events).toEqual([
      { type: 'start', id: 'c1', model: 'm', created: 7 },
      { type: 'text-delta', choice: 0, text: 'a' },
      { type: 'error', message: 'upstream sent an event that is not JSON', code: 'upstream_invalid_response' },
      { type: 'text-delta', choice: 0, text: 'b' },
    ]);
    expect(decoder.done).toBe(true);
    const folded = foldEvents(events);
    expect(folded.choices[0]!.text).toBe('ab');
    expect(folded.error).toEqual({ message: 'upstream sent an event that is not JSON', code: 'upstream_invalid_response' });
  });

  it('takes the start from the first JSON chunk even after a malformed one', () => {
    const { events } = decode([enc.encode(`data: not json\n\n${chunk('x')}`)]);
    expect(events.map((e) => e.type)).toEqual(['error', 'start', 'text-delta']);
  });

  it('passes on an error object the upstream sends mid-stream', () => {
    const { events } = decode([enc.encode(`${chunk('a')}data: {"error":{"message":"boom","code":"server_error"}}\n\n`)]);
    expect(events.at(-1)).toEqual({ type: 'error', message: 'boom', code: 'server_error' });
  });

  it('sets done on [DONE] and not before', () => {
    const events: CanonicalEvent[] = [];
    const decoder = new ChatStreamDecoder((e) => events.push(e));
    decoder.feed(enc.encode(chunk('a')));
    expect(decoder.done).toBe(false);
    decoder.feed(enc.encode('data: [DO'));
    expect(decoder.done).toBe(false);
    decoder.feed(enc.encode('NE]\n\n'));
    expect(decoder.done).toBe(true);
    // [DONE] is a sentinel, not an event: nothing is emitted for it.
    expect(events.map((e) => e.type)).toEqual(['start', 'text-delta']);
  });

  it('sets done on a final [DONE] that lacks its blank line once the stream ends', () => {
    const events: CanonicalEvent[] = [];
    const decoder = new ChatStreamDecoder((e) => events.push(e));
    decoder.feed(enc.encode('data: [DONE]'));
    expect(decoder.done).toBe(false);
    decoder.end();
    expect(decoder.done).toBe(true);
    expect(events).toEqual([]);
  });

  it('does not set done for a stream cut off without [DONE]', () => {
    const { decoder } = decode([enc.encode(chunk('a'))]);
    expect(decoder.done).toBe(false);
  });
});

describe('ChatStreamDecoder on fields of OpenAI-compatible servers', () => {
  const event = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}): string =>
    `data: ${JSON.stringify({ id: 'c1', model: 'm', created: 7, choices: [{ index: 0, delta, finish_reason: null }], ...extra })}\n\n`;

  it('reads reasoning_content (DeepSeek, vLLM) and reasoning (Ollama) as reasoning deltas, before the text', () => {
    const { events } = decode([enc.encode(`${event({ reasoning_content: 'Think' })}${event({ reasoning: ' more' })}${event({ content: 'Yes' })}data: [DONE]\n\n`)]);
    expect(events.slice(1)).toEqual([
      { type: 'reasoning-delta', choice: 0, text: 'Think' },
      { type: 'reasoning-delta', choice: 0, text: ' more' },
      { type: 'text-delta', choice: 0, text: 'Yes' },
    ]);
    expect(foldEvents(events).choices[0]!.parts).toEqual([
      { type: 'reasoning', text: 'Think more' },
      { type: 'text', text: 'Yes' },
    ]);
  });

  it('reads cached prompt tokens; OpenAI reports no cache writes', () => {
    const usage = { prompt_tokens: 2000, completion_tokens: 10, total_tokens: 2010, prompt_tokens_details: { cached_tokens: 1536 } };
    const { events } = decode([enc.encode(`data: ${JSON.stringify({ id: 'c1', model: 'm', created: 7, choices: [], usage })}\n\n`)]);
    expect(events.at(-1)).toEqual({ type: 'usage', usage: { inputTokens: 2000, outputTokens: 10, reasoningTokens: 0, cachedInputTokens: 1536, cacheWriteTokens: 0 } });
  });

  it('gives the same reasoning for a non-streamed body', () => {
    const completion = { id: 'c1', model: 'm', created: 7, choices: [{ index: 0, message: { role: 'assistant', content: 'Yes', reasoning_content: 'Think more' }, finish_reason: 'stop' }] };
    expect(foldEvents(chatCompletionToEvents(completion)).choices[0]!.parts).toEqual([
      { type: 'reasoning', text: 'Think more' },
      { type: 'text', text: 'Yes' },
    ]);
  });
});
