import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldEvents, ResponseFolder, type CanonicalEvent, type CanonicalResponse } from '../../canonical/index.ts';
import { anthropicMessageToEvents } from './decode-response.ts';
import { AnthropicStreamDecoder } from './stream-decoder.ts';
import { splitAt } from '../../../test/support/split-at.ts';

const fixtures = new URL('./__fixtures__/', import.meta.url);
const cases = readdirSync(fixtures)
  .filter((f) => /^messages-.*\.stream\.sse$/.test(f))
  .map((f) => f.replace(/\.stream\.sse$/, ''))
  .sort();

const streamBytes = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, fixtures)));
const responseJson = (name: string): unknown => JSON.parse(readFileSync(new URL(`${name}.response.json`, fixtures), 'utf8'));

/**
 * Tool arguments replaced by their parsed value: the non-stream decode serialises `input` compactly,
 * a stream carries the model's own JSON text (e.g. `{"location": "Paris"}` with a space).
 */
function parsedArguments(response: CanonicalResponse): unknown {
  return {
    ...response,
    choices: response.choices.map((choice) => ({
      ...choice,
      parts: choice.parts.map((p) => (p.type === 'tool-call' ? { ...p, arguments: JSON.parse(p.arguments) as unknown } : p)),
      toolCalls: choice.toolCalls.map((c) => ({ ...c, arguments: JSON.parse(c.arguments) as unknown })),
    })),
  };
}

const nonStreamFold = (name: string): unknown => parsedArguments(foldEvents(anthropicMessageToEvents(responseJson(name))));

function decode(pieces: Uint8Array[]): { events: CanonicalEvent[]; decoder: AnthropicStreamDecoder } {
  const events: CanonicalEvent[] = [];
  const decoder = new AnthropicStreamDecoder((e) => events.push(e));
  for (const piece of pieces) decoder.feed(piece);
  decoder.end();
  return { events, decoder };
}

function foldStream(pieces: Uint8Array[]): CanonicalResponse {
  const folder = new ResponseFolder();
  const decoder = new AnthropicStreamDecoder((e) => folder.add(e));
  for (const piece of pieces) decoder.feed(piece);
  decoder.end();
  return folder.response;
}

/** Cut points inside a multi-byte UTF-8 character or inside the blank line that ends an event. */
function awkwardCuts(bytes: Uint8Array): number[] {
  const cuts: number[] = [];
  for (let i = 1; i < bytes.length; i++) {
    if ((bytes[i]! & 0xc0) === 0x80 || (bytes[i - 1] === 0x0a && bytes[i] === 0x0a)) cuts.push(i);
  }
  return cuts;
}

const enc = new TextEncoder();
const sse = (...events: object[]): Uint8Array =>
  enc.encode(events.map((e) => `event: ${(e as { type: string }).type}\ndata: ${JSON.stringify(e)}\n\n`).join(''));

describe('AnthropicStreamDecoder on the recorded fixtures', () => {
  it('finds every stream fixture', () => {
    expect(cases).toEqual([
      'messages-cache',
      'messages-image',
      'messages-parallel-tools',
      'messages-redacted-thinking',
      'messages-stop-sequence',
      'messages-text',
      'messages-thinking',
      'messages-thinking-tools',
      'messages-thinking-tools.followup',
    ]);
  });

  for (const name of cases) {
    describe(name, () => {
      it('folds the stream to the non-stream result', () => {
        const { events, decoder } = decode([streamBytes(`${name}.stream.sse`)]);
        expect(events.filter((e) => e.type === 'error')).toEqual([]);
        expect(events.filter((e) => e.type === 'start')).toHaveLength(1);
        // finish and usage come once, last, in the non-stream order.
        expect(events.slice(-2).map((e) => e.type)).toEqual(['finish', 'usage']);
        expect(events.filter((e) => e.type === 'finish' || e.type === 'usage')).toHaveLength(2);
        expect(decoder.done).toBe(true);
        const folded = foldEvents(events);
        expect(folded.choices).toHaveLength(1);
        expect(folded.usage).not.toBeNull();
        expect(parsedArguments(folded)).toEqual(nonStreamFold(name));
      });

      it('gives the same fold however the bytes are split (property)', () => {
        const bytes = streamBytes(`${name}.stream.sse`);
        const awkward = awkwardCuts(bytes);
        expect(awkward.length).toBeGreaterThan(0);
        const expected = nonStreamFold(name);
        const cut = fc.oneof(fc.integer({ min: 0, max: bytes.length }), fc.constantFrom(...awkward));
        fc.assert(
          fc.property(fc.array(cut, { maxLength: 60 }), (cuts) => {
            expect(parsedArguments(foldStream(splitAt(bytes, cuts)))).toEqual(expected);
          }),
          { numRuns: 150 },
        );
      });
    });
  }

  it('folds correctly when fed one byte at a time', () => {
    for (const name of cases) {
      const bytes = streamBytes(`${name}.stream.sse`);
      const pieces = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
      expect(parsedArguments(foldStream(pieces)), name).toEqual(nonStreamFold(name));
    }
  });

  it('decodes signed thinking followed by a tool call, with thinking tokens', () => {
    const folded = foldStream([streamBytes('messages-thinking-tools.stream.sse')]);
    expect(folded.id).toBe('msg_01Dk3uHs9XxW1cLq7VzPnR4e');
    expect(folded.model).toBe('claude-sonnet-4-5-20250929');
    expect(folded.created).toBe(0);
    const choice = folded.choices[0]!;
    expect(choice.parts.map((p) => p.type)).toEqual(['reasoning', 'tool-call']);
    const reasoning = choice.parts[0]!;
    expect(reasoning.type === 'reasoning' && reasoning.signature).toMatch(/^ErUDCkYIBxgCKkDYPRYoey/);
    expect(choice.reasoning).toMatch(/^The user wants to know whether to bring an umbrella.*natural unit to report\.$/);
    expect(choice.toolCalls).toEqual([{ id: 'toolu_01Ej6NBvX5mkRz1Fq8cYw3Ta', name: 'get_weather', arguments: '{"location": "Seattle, WA", "unit": "fahrenheit"}' }]);
    expect(choice.finishReason).toBe('tool_calls');
    expect(choice.stopSequence).toBeNull();
    expect(folded.usage).toEqual({ inputTokens: 574, outputTokens: 142, reasoningTokens: 58, cachedInputTokens: 0, cacheWriteTokens: 0 });
  });

  it('keeps redacted thinking in place between signed thinking and text', () => {
    const choice = foldStream([streamBytes('messages-redacted-thinking.stream.sse')]).choices[0]!;
    expect(choice.parts.map((p) => p.type)).toEqual(['reasoning', 'redacted-reasoning', 'text']);
    const redacted = choice.parts[1]!;
    expect(redacted.type === 'redacted-reasoning' && redacted.data).toMatch(/^EmwKAhgBEgztGcTnDuZiFrBU1ZGjJ2vN.*==$/);
  });

  it('decodes parallel tool calls in order with running indexes', () => {
    const choice = foldStream([streamBytes('messages-parallel-tools.stream.sse')]).choices[0]!;
    expect(choice.parts.map((p) => p.type)).toEqual(['text', 'tool-call', 'tool-call']);
    expect(choice.toolCalls.map((c) => [c.id, c.name, JSON.parse(c.arguments)])).toEqual([
      ['toolu_01T1x1fJ34qAmk2tNTrN7Up6', 'get_weather', { location: 'Paris, France', unit: 'celsius' }],
      ['toolu_01QNfAZEyMuGYbGpDrVUwL1r', 'get_time', { timezone: 'Europe/Paris' }],
    ]);
  });

  it('counts cache reads and writes into the input tokens', () => {
    expect(foldStream([streamBytes('messages-cache.stream.sse')]).usage).toEqual({
      inputTokens: 4 + 23 + 1183,
      outputTokens: 55,
      reasoningTokens: 0,
      cachedInputTokens: 1183,
      cacheWriteTokens: 23,
    });
  });

  it('carries the stop sequence that ended the answer', () => {
    const choice = foldStream([streamBytes('messages-stop-sequence.stream.sse')]).choices[0]!;
    expect(choice.text).toBe('Red\nYellow\nBlue\n');
    expect(choice.finishReason).toBe('stop');
    expect(choice.stopSequence).toBe('END');
  });

  it('reports an error event in the middle of a stream, keeping the text before it', () => {
    const { events, decoder } = decode([streamBytes('error-midstream.sse')]);
    expect(decoder.done).toBe(false);
    expect(events.at(-1)).toEqual({ type: 'error', message: 'Overloaded', code: 'overloaded_error' });
    const folded = foldEvents(events);
    expect(folded.choices[0]!.text).toBe('The sky looks blue because of Rayleigh');
    expect(folded.choices[0]!.finishReason).toBeNull();
    expect(folded.usage).toBeNull();
    expect(folded.error).toEqual({ message: 'Overloaded', code: 'overloaded_error' });
  });
});

describe('AnthropicStreamDecoder on edge cases', () => {
  const start = { type: 'message_start', message: { id: 'm1', model: 'claude', content: [], usage: { input_tokens: 5, output_tokens: 1 } } };
  const stop = { type: 'message_stop' };

  it('gives a tool call whose stream carried no argument text the `{}` of its non-stream input', () => {
    const events = decode([
      sse(
        start,
        { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 't1', name: 'now', input: {} } },
        { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '' } },
        { type: 'content_block_stop', index: 0 },
        { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 9 } },
        stop,
      ),
    ]).events;
    const folded = foldEvents(events);
    expect(folded.choices[0]!.toolCalls).toEqual([{ id: 't1', name: 'now', arguments: '{}' }]);
    const message = { id: 'm1', model: 'claude', content: [{ type: 'tool_use', id: 't1', name: 'now', input: {} }], stop_reason: 'tool_use', usage: { input_tokens: 5, output_tokens: 9 } };
    expect(folded).toEqual(foldEvents(anthropicMessageToEvents(message)));
  });

  it('merges message_delta usage over message_start usage, keeping counts the delta omits or nulls', () => {
    const events = decode([
      sse(
        { ...start, message: { ...start.message, usage: { input_tokens: 5, cache_read_input_tokens: 7, output_tokens: 1 } } },
        { type: 'message_delta', delta: { stop_reason: 'max_tokens' }, usage: { output_tokens: 30, cache_read_input_tokens: null, output_tokens_details: { thinking_tokens: 12 } } },
        stop,
      ),
    ]).events;
    expect(events.slice(-2)).toEqual([
      { type: 'finish', choice: 0, reason: 'length' },
      { type: 'usage', usage: { inputTokens: 12, outputTokens: 30, reasoningTokens: 12, cachedInputTokens: 7, cacheWriteTokens: 0 } },
    ]);
  });

  it('emits no finish or usage before message_stop', () => {
    const events = decode([sse(start, { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 3 } })]).events;
    expect(events.map((e) => e.type)).toEqual(['start']);
  });

  it('offers the usage known so far as partialUsage, for metering a stream cut before message_stop', () => {
    const decoder = new AnthropicStreamDecoder(() => {});
    expect(decoder.partialUsage).toBeNull();
    decoder.feed(sse(start));
    expect(decoder.partialUsage).toEqual({ inputTokens: 5, outputTokens: 1, reasoningTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0 });
  });

  it('reports data that is not JSON as an error and keeps decoding', () => {
    const bytes = enc.encode(
      `event: message_start\ndata: ${JSON.stringify(start)}\n\nevent: content_block_delta\ndata: {"type": "content_bl\n\n` +
        `event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'ok' } })}\n\n`,
    );
    expect(decode([bytes]).events).toEqual([
      { type: 'start', id: 'm1', model: 'claude', created: 0 },
      { type: 'error', message: 'upstream sent an event that is not JSON', code: 'upstream_invalid_response' },
      { type: 'text-delta', choice: 0, text: 'ok' },
    ]);
  });

  it('takes a thinking signature given at block start when no signature_delta follows', () => {
    const events = decode([
      sse(
        start,
        { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: 'hm', signature: 'sig-1' } },
        { type: 'content_block_stop', index: 0 },
        { type: 'content_block_start', index: 1, content_block: { type: 'text', text: 'hi' } },
        { type: 'content_block_stop', index: 1 },
      ),
    ]).events;
    expect(foldEvents(events).choices[0]!.parts).toEqual([
      { type: 'reasoning', text: 'hm', signature: 'sig-1' },
      { type: 'text', text: 'hi' },
    ]);
  });

  it('reads the event type from the data, so streams without `event:` lines decode the same', () => {
    const bytes = streamBytes('messages-thinking-tools.stream.sse');
    const dataOnly = enc.encode(new TextDecoder().decode(bytes).replace(/^event: .*\n/gm, ''));
    expect(parsedArguments(foldStream([dataOnly]))).toEqual(nonStreamFold('messages-thinking-tools'));
  });

  it('ignores ping and unknown events and blocks', () => {
    const events = decode([
      sse(
        start,
        { type: 'ping' },
        { type: 'content_block_start', index: 0, content_block: { type: 'server_tool_use', id: 's1', name: 'web_search', input: {} } },
        { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"q":1}' } },
        { type: 'content_block_delta', index: 0, delta: { type: 'citations_delta', citation: {} } },
        { type: 'something_new', index: 0 },
      ),
    ]).events;
    expect(events.map((e) => e.type)).toEqual(['start']);
  });
});
