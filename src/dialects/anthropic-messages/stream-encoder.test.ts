import { createParser } from 'eventsource-parser';
import { describe, expect, it } from 'vitest';
import type { CanonicalEvent, CanonicalRequest, Usage } from '../../canonical/index.ts';
import { ANTHROPIC_PING_FRAME, createAnthropicStreamEncoder } from './stream-encoder.ts';
import { fixtureText, recordedEvents, recordedMessage, recordedRequest, responseCases } from './test-fixtures.ts';

const request: CanonicalRequest = { model: 'client-model', stream: true, includeUsage: true, messages: [], options: {} };

interface Frame {
  event: string | undefined;
  data: Record<string, unknown>;
}

/** SSE text → frames, through a real SSE parser. */
function parseFrames(sse: string): Frame[] {
  const frames: Frame[] = [];
  const parser = createParser({ onEvent: (e) => frames.push({ event: e.event, data: JSON.parse(e.data) as Record<string, unknown> }) });
  parser.feed(sse);
  return frames;
}

function encodeAll(events: CanonicalEvent[], r: CanonicalRequest = request): string {
  const encoder = createAnthropicStreamEncoder(r);
  return events.map((e) => encoder.push(e)).join('') + encoder.end();
}

const encodeFrames = (events: CanonicalEvent[]) => parseFrames(encodeAll(events));

/** A frame reduced to what identifies its place in the sequence; consecutive equal deltas collapse. */
function shape(frames: Frame[]): string[] {
  const out: string[] = [];
  for (const { event, data } of frames) {
    const block = data.content_block as { type: string } | undefined;
    const delta = data.delta as { type?: string } | undefined;
    const label = [event, data.index, block?.type, event === 'content_block_delta' ? delta?.type : undefined].filter((x) => x !== undefined).join(' ');
    if (out.at(-1) !== label || event !== 'content_block_delta') out.push(label);
  }
  return out;
}

const usage: Usage = { inputTokens: 120, outputTokens: 9, reasoningTokens: 0, cachedInputTokens: 100, cacheWriteTokens: 0 };
const text = (t: string, choice = 0): CanonicalEvent => ({ type: 'text-delta', choice, text: t });
const think = (t: string): CanonicalEvent => ({ type: 'reasoning-delta', choice: 0, text: t });
const sign = (signature: string): CanonicalEvent => ({ type: 'reasoning-signature', choice: 0, signature });
const tool = (index: number, argumentsDelta: string, id?: string, name?: string): CanonicalEvent => ({
  type: 'tool-call-delta',
  choice: 0,
  index,
  argumentsDelta,
  ...(id ? { id } : {}),
  ...(name ? { name } : {}),
});

describe('the stream encoder against the recorded streams', () => {
  for (const name of responseCases) {
    it(`${name}: same event sequence, message_start and message_delta as recorded`, () => {
      const recorded = parseFrames(fixtureText(`${name}.stream.sse`));
      const mine = parseFrames(encodeAll(recordedEvents(name), recordedRequest(name)));
      expect(shape(mine)).toEqual(shape(recorded));

      const { usage: _recordedUsage, ...recordedStart } = recorded[0]!.data.message as Record<string, unknown>;
      const { usage: _myUsage, ...myStart } = mine[0]!.data.message as Record<string, unknown>;
      expect(myStart).toEqual(recordedStart);
      expect(mine.find((f) => f.event === 'message_delta')!.data).toEqual(recorded.find((f) => f.event === 'message_delta')!.data);

      const starts = (frames: Frame[]) => frames.filter((f) => f.event === 'content_block_start').map((f) => f.data);
      expect(starts(mine)).toEqual(starts(recorded));
      expect(recordedMessage(name).content.length).toBe(starts(mine).length);
    });
  }
});

describe('the stream encoder sequence', () => {
  it('sends message_start before the first content when no start event came, and one ping', () => {
    const frames = encodeFrames([text('Hel'), text('lo'), { type: 'finish', choice: 0, reason: 'stop' }]);
    expect(frames.map((f) => f.event)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(frames[0]!.data.message).toMatchObject({ id: 'msg_', model: 'client-model', content: [], stop_reason: null });
    expect(frames[6]!.data).toEqual({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null, stop_details: null, container: null }, usage: { output_tokens: 0 } });
  });

  it('writes the ping exactly as Anthropic does', () => {
    expect(encodeAll([text('x')])).toContain(`}\n\n${ANTHROPIC_PING_FRAME}event: content_block_delta`);
    expect(encodeAll([text('x'), { type: 'redacted-reasoning', choice: 0, data: 'E' }, text('y')]).split('event: ping').length).toBe(2);
  });

  it('uses the start event once, prefixing a foreign id', () => {
    const frames = encodeFrames([{ type: 'start', id: 'chatcmpl-9', model: 'gpt-4o', created: 1 }, text('a'), { type: 'start', id: 'x', model: 'y', created: 2 }]);
    expect(frames.filter((f) => f.event === 'message_start')).toHaveLength(1);
    expect(frames[0]!.data.message).toMatchObject({ id: 'msg_chatcmpl-9', model: 'gpt-4o' });
  });

  it('closes thinking with its signature, and leaves an unsigned thinking block without one', () => {
    const frames = encodeFrames([think('a'), think('b'), sign('SIG'), think('c'), text('answer')]);
    expect(shape(frames)).toEqual([
      'message_start',
      'content_block_start 0 thinking',
      'ping',
      'content_block_delta 0 thinking_delta',
      'content_block_delta 0 signature_delta',
      'content_block_stop 0',
      'content_block_start 1 thinking',
      'content_block_delta 1 thinking_delta',
      'content_block_stop 1',
      'content_block_start 2 text',
      'content_block_delta 2 text_delta',
      'content_block_stop 2',
      'message_delta',
      'message_stop',
    ]);
    expect(frames.filter((f) => f.event === 'content_block_delta').map((f) => f.data.delta)).toContainEqual({ type: 'signature_delta', signature: 'SIG' });
  });

  it('lets an empty text delta end a thinking part, as the fold does, without opening a text block', () => {
    const starts = (events: CanonicalEvent[]) => encodeFrames(events).filter((f) => f.event === 'content_block_start').map((f) => (f.data.content_block as { type: string }).type);
    expect(starts([think('a'), text(''), think('b')])).toEqual(['thinking', 'thinking']);
    expect(starts([think('a'), text(''), text('b')])).toEqual(['thinking', 'text']);
    expect(starts([text('a'), text(''), text('b')])).toEqual(['text']);
    expect(starts([text(''), think('')])).toEqual(['thinking']);
  });

  it('opens a thinking block for a signature that came without text', () => {
    expect(shape(encodeFrames([text('x'), sign('S')])).slice(4, 8)).toEqual([
      'content_block_stop 0',
      'content_block_start 1 thinking',
      'content_block_delta 1 signature_delta',
      'content_block_stop 1',
    ]);
  });

  it('sends redacted thinking as a start holding the data and a stop', () => {
    const frames = encodeFrames([think('a'), { type: 'redacted-reasoning', choice: 0, data: 'ENC' }, text('b')]);
    expect(frames.filter((f) => f.event === 'content_block_start').map((f) => f.data)).toEqual([
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
      { type: 'content_block_start', index: 1, content_block: { type: 'redacted_thinking', data: 'ENC' } },
      { type: 'content_block_start', index: 2, content_block: { type: 'text', text: '', citations: null } },
    ]);
    expect(shape(frames).slice(5, 7)).toEqual(['content_block_start 1 redacted_thinking', 'content_block_stop 1']);
  });

  it('opens a tool_use block per tool index and streams its arguments', () => {
    const frames = encodeFrames([text('x'), tool(0, '', 'call_a', 'get_weather'), tool(0, '{"city":'), tool(0, '"Paris"}'), tool(1, '{}', 'call_b', 'get_time')]);
    expect(frames.filter((f) => f.event === 'content_block_start').map((f) => f.data.content_block)).toEqual([
      { type: 'text', text: '', citations: null },
      { type: 'tool_use', id: 'call_a', name: 'get_weather', input: {}, caller: { type: 'direct' } },
      { type: 'tool_use', id: 'call_b', name: 'get_time', input: {}, caller: { type: 'direct' } },
    ]);
    const deltas = frames.filter((f) => f.event === 'content_block_delta' && (f.data.delta as { type: string }).type === 'input_json_delta');
    expect(deltas.map((f) => [f.data.index, (f.data.delta as { partial_json: string }).partial_json])).toEqual([
      [1, '{"city":'],
      [1, '"Paris"}'],
      [2, '{}'],
    ]);
    expect(shape(frames).filter((s) => s.startsWith('content_block_stop'))).toEqual(['content_block_stop 0', 'content_block_stop 1', 'content_block_stop 2']);
  });

  it("sends a late argument delta to its tool's block rather than losing it", () => {
    const frames = encodeFrames([tool(0, '{"a":', 'c0', 'f'), tool(1, '{}', 'c1', 'g'), tool(0, '1}')]);
    const last = frames.filter((f) => f.event === 'content_block_delta').at(-1)!;
    expect(last.data).toEqual({ type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '1}' } });
    expect(frames.filter((f) => f.event === 'content_block_start')).toHaveLength(2);
  });

  it('encodes only choice 0', () => {
    const frames = encodeFrames([text('zero'), text('one', 1), { type: 'finish', choice: 1, reason: 'length' }, { type: 'finish', choice: 0, reason: 'tool_calls' }]);
    const texts = frames.filter((f) => f.event === 'content_block_delta').map((f) => (f.data.delta as { text: string }).text);
    expect(texts).toEqual(['zero']);
    expect((frames.find((f) => f.event === 'message_delta')!.data.delta as { stop_reason: string }).stop_reason).toBe('tool_use');
  });

  it('reports a stop sequence', () => {
    const frames = encodeFrames([text('a'), { type: 'finish', choice: 0, reason: 'stop', stopSequence: 'END' }]);
    expect(frames.find((f) => f.event === 'message_delta')!.data.delta).toEqual({ stop_reason: 'stop_sequence', stop_sequence: 'END', stop_details: null, container: null });
  });

  it('puts usage that arrives at the end into message_delta, input and cache counters included', () => {
    const frames = encodeFrames([{ type: 'start', id: 'msg_1', model: 'm', created: 0 }, text('a'), { type: 'usage', usage: { ...usage, reasoningTokens: 4 } }]);
    expect((frames[0]!.data.message as { usage: unknown }).usage).toEqual({
      input_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      output_tokens: 0,
      output_tokens_details: null,
    });
    expect(frames.find((f) => f.event === 'message_delta')!.data.usage).toEqual({
      input_tokens: 20,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 100,
      output_tokens: 9,
      output_tokens_details: { thinking_tokens: 4 },
    });
  });

  it('puts usage known before the start into message_start', () => {
    const frames = encodeFrames([{ type: 'usage', usage }, { type: 'start', id: 'msg_1', model: 'm', created: 0 }, text('a')]);
    expect((frames[0]!.data.message as { usage: unknown }).usage).toMatchObject({ input_tokens: 20, cache_read_input_tokens: 100 });
  });

  it('ends with an error frame on an error event and ignores the rest', () => {
    const encoder = createAnthropicStreamEncoder(request);
    encoder.push(text('partial'));
    const frames = parseFrames(encoder.push({ type: 'error', message: 'Overloaded', code: 'overloaded_error' }));
    expect(frames).toEqual([{ event: 'error', data: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } }]);
    expect(encoder.push(text('more'))).toBe('');
    expect(encoder.end()).toBe('');
  });

  it("maps an error event's code to an Anthropic error type", () => {
    const typeOf = (code?: string) => {
      const sse = createAnthropicStreamEncoder(request).push({ type: 'error', message: 'm', ...(code ? { code } : {}) });
      return (parseFrames(sse)[0]!.data.error as { type: string; details?: unknown });
    };
    expect(typeOf('upstream_invalid_response')).toEqual({ type: 'api_error', message: 'm', details: { error_code: 'upstream_invalid_response', moat_code: 'upstream_invalid_response' } });
    expect(typeOf('upstream_idle_timeout').type).toBe('timeout_error');
    expect(typeOf('rate_limit_error').type).toBe('rate_limit_error');
    expect(typeOf('server_error').type).toBe('api_error');
    expect(typeOf().type).toBe('api_error');
  });

  it('still sends message_start, message_delta and message_stop for an empty stream', () => {
    expect(encodeFrames([]).map((f) => f.event)).toEqual(['message_start', 'message_delta', 'message_stop']);
  });
});
