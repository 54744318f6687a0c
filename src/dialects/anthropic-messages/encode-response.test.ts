import { describe, expect, it } from 'vitest';
import { foldEvents, type CanonicalChoice, type CanonicalRequest, type CanonicalResponse, type Usage } from '../../canonical/index.ts';
import { encodeMessagesResponse } from './encode-response.ts';
import { recordedEvents, recordedMessage, recordedRequest, reproducibleMessage, responseCases } from './test-fixtures.ts';

const request: CanonicalRequest = { model: 'client-model', stream: false, includeUsage: false, messages: [], options: {} };

function response(choice: Partial<CanonicalChoice> = {}, rest: Partial<CanonicalResponse> = {}): CanonicalResponse {
  return {
    id: 'msg_1',
    model: 'claude-x',
    created: 0,
    choices: [{ index: 0, parts: [], text: '', reasoning: '', toolCalls: [], finishReason: 'stop', stopSequence: null, ...choice }],
    usage: null,
    error: null,
    ...rest,
  };
}

const encode = (r: CanonicalResponse) => JSON.parse(encodeMessagesResponse(r, request));

describe('encodeMessagesResponse on the recorded responses', () => {
  it('finds every response fixture', () => {
    expect(responseCases).toEqual([
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

  for (const name of responseCases) {
    it(`${name}: decode → fold → encode gives the recorded message back`, () => {
      const encoded = JSON.parse(encodeMessagesResponse(foldEvents(recordedEvents(name)), recordedRequest(name)));
      expect(encoded).toEqual(reproducibleMessage(recordedMessage(name)));
    });
  }
});

describe('encodeMessagesResponse mappings', () => {
  it('maps finish reasons to stop reasons', () => {
    const cases: Array<[CanonicalChoice['finishReason'], string | null, string, string | null]> = [
      ['stop', null, 'end_turn', null],
      ['stop', 'END', 'stop_sequence', 'END'],
      ['length', null, 'max_tokens', null],
      ['tool_calls', null, 'tool_use', null],
      ['content_filter', null, 'refusal', null],
      ['other', null, 'end_turn', null],
      [null, null, 'end_turn', null],
      // A stop sequence only counts when the reason is `stop`.
      ['length', 'END', 'max_tokens', null],
    ];
    for (const [finishReason, stopSequence, stopReason, wireSequence] of cases) {
      const body = encode(response({ finishReason, stopSequence }));
      expect([body.stop_reason, body.stop_sequence], `${finishReason}/${stopSequence}`).toEqual([stopReason, wireSequence]);
    }
  });

  it('takes cache reads and writes out of input_tokens, never below zero', () => {
    const usage: Usage = { inputTokens: 100, outputTokens: 7, reasoningTokens: 3, cachedInputTokens: 30, cacheWriteTokens: 20 };
    expect(encode(response({}, { usage })).usage).toEqual({
      input_tokens: 50,
      cache_creation_input_tokens: 20,
      cache_read_input_tokens: 30,
      output_tokens: 7,
      output_tokens_details: { thinking_tokens: 3 },
    });
    const odd: Usage = { inputTokens: 10, outputTokens: 1, reasoningTokens: 0, cachedInputTokens: 30, cacheWriteTokens: 0 };
    expect(encode(response({}, { usage: odd })).usage).toMatchObject({ input_tokens: 0, cache_read_input_tokens: 30, output_tokens_details: null });
    expect(encode(response()).usage).toEqual({ input_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 0, output_tokens_details: null });
  });

  it('prefixes ids that are not Anthropic message ids', () => {
    expect(encode(response({}, { id: 'chatcmpl-abc' })).id).toBe('msg_chatcmpl-abc');
    expect(encode(response({}, { id: 'msg_abc' })).id).toBe('msg_abc');
  });

  it("falls back to the request's model", () => {
    expect(encode(response({}, { model: '' })).model).toBe('client-model');
    expect(encode(response({}, { model: 'gpt-4o-2024' })).model).toBe('gpt-4o-2024');
  });

  it('encodes parts in order, dropping empty text and filling missing signatures', () => {
    const body = encode(
      response({
        parts: [
          { type: 'reasoning', text: 'think' },
          { type: 'text', text: '' },
          { type: 'redacted-reasoning', data: 'ENC' },
          { type: 'text', text: 'answer' },
          { type: 'tool-call', id: 't1', name: 'f', arguments: '{"a":1}' },
          { type: 'tool-call', id: 't2', name: 'g', arguments: '{"a":' },
          { type: 'tool-call', id: 't3', name: 'h', arguments: '[1,2]' },
          { type: 'tool-call', id: 't4', name: 'k', arguments: '' },
        ],
        finishReason: 'tool_calls',
      }),
    );
    expect(body.content).toEqual([
      { type: 'thinking', thinking: 'think', signature: '' },
      { type: 'redacted_thinking', data: 'ENC' },
      { type: 'text', text: 'answer', citations: null },
      { type: 'tool_use', id: 't1', name: 'f', input: { a: 1 }, caller: { type: 'direct' } },
      { type: 'tool_use', id: 't2', name: 'g', input: {}, caller: { type: 'direct' } },
      { type: 'tool_use', id: 't3', name: 'h', input: {}, caller: { type: 'direct' } },
      { type: 'tool_use', id: 't4', name: 'k', input: {}, caller: { type: 'direct' } },
    ]);
    expect(body.stop_reason).toBe('tool_use');
  });

  it('encodes only choice 0, and an empty message when there is none', () => {
    const two = response({ parts: [{ type: 'text', text: 'zero' }] });
    two.choices.push({ ...two.choices[0]!, index: 1, parts: [{ type: 'text', text: 'one' }] });
    expect(encode(two).content).toEqual([{ type: 'text', text: 'zero', citations: null }]);
    expect(encode(response({}, { choices: [] }))).toMatchObject({ content: [], stop_reason: 'end_turn', stop_sequence: null, type: 'message', role: 'assistant' });
  });
});
