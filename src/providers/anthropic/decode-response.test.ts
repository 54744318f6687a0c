import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { anthropicMessageToEvents } from './decode-response.ts';
import { mapAnthropicStopReason } from './map-stop-reason.ts';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'));

describe('anthropicMessageToEvents', () => {
  it('gives start, the blocks in order, finish and usage for signed thinking and a tool call', () => {
    const events = anthropicMessageToEvents(fixture('messages-thinking-tools.response.json'));
    expect(events.map((e) => e.type)).toEqual(['start', 'reasoning-delta', 'reasoning-signature', 'tool-call-delta', 'finish', 'usage']);
    expect(events[0]).toEqual({ type: 'start', id: 'msg_01Dk3uHs9XxW1cLq7VzPnR4e', model: 'claude-sonnet-4-5-20250929', created: 0 });
    expect(events[3]).toEqual({
      type: 'tool-call-delta',
      choice: 0,
      index: 0,
      id: 'toolu_01Ej6NBvX5mkRz1Fq8cYw3Ta',
      name: 'get_weather',
      argumentsDelta: '{"location":"Seattle, WA","unit":"fahrenheit"}',
    });
    expect(events[4]).toEqual({ type: 'finish', choice: 0, reason: 'tool_calls' });
    expect(events[5]).toEqual({ type: 'usage', usage: { inputTokens: 574, outputTokens: 142, reasoningTokens: 58, cachedInputTokens: 0, cacheWriteTokens: 0 } });
  });

  it('numbers tool calls by their order among tool calls, not among blocks', () => {
    const events = anthropicMessageToEvents(fixture('messages-parallel-tools.response.json'));
    expect(events.filter((e) => e.type === 'tool-call-delta').map((e) => e.type === 'tool-call-delta' && e.index)).toEqual([0, 1]);
  });

  it('emits redacted thinking where it stands', () => {
    const types = anthropicMessageToEvents(fixture('messages-redacted-thinking.response.json')).map((e) => e.type);
    expect(types).toEqual(['start', 'reasoning-delta', 'reasoning-signature', 'redacted-reasoning', 'text-delta', 'finish', 'usage']);
  });

  it('carries the stop sequence only for stop_sequence', () => {
    expect(anthropicMessageToEvents(fixture('messages-stop-sequence.response.json')).at(-2)).toEqual({ type: 'finish', choice: 0, reason: 'stop', stopSequence: 'END' });
    expect(anthropicMessageToEvents({ stop_reason: 'end_turn', stop_sequence: 'END', content: [] }).at(-1)).toEqual({ type: 'finish', choice: 0, reason: 'stop' });
  });

  it('reads loosely: no finish without stop_reason, no usage without usage, odd blocks skipped', () => {
    expect(anthropicMessageToEvents(null)).toEqual([]);
    expect(anthropicMessageToEvents('x')).toEqual([]);
    expect(anthropicMessageToEvents({ id: 7, content: [null, { type: 'text', text: '' }, { type: 'web_search_tool_result' }, { type: 'text', text: 'a' }] })).toEqual([
      { type: 'start', id: '', model: '', created: 0 },
      { type: 'text-delta', choice: 0, text: 'a' },
    ]);
  });

  it('keeps a signature whose thinking text was omitted (display: omitted)', () => {
    const events = anthropicMessageToEvents({ content: [{ type: 'thinking', thinking: '', signature: 's' }] });
    expect(events.slice(1)).toEqual([{ type: 'reasoning-signature', choice: 0, signature: 's' }]);
  });
});

describe('mapAnthropicStopReason', () => {
  it('maps every documented stop reason', () => {
    const table = Object.fromEntries(
      ['end_turn', 'stop_sequence', 'pause_turn', 'max_tokens', 'model_context_window_exceeded', 'tool_use', 'refusal', 'something_new', 'constructor'].map((r) => [r, mapAnthropicStopReason(r)]),
    );
    expect(table).toEqual({
      end_turn: 'stop',
      stop_sequence: 'stop',
      pause_turn: 'stop',
      max_tokens: 'length',
      model_context_window_exceeded: 'length',
      tool_use: 'tool_calls',
      refusal: 'content_filter',
      something_new: 'other',
      constructor: 'other',
    });
    expect(mapAnthropicStopReason(null)).toBe('other');
  });
});
