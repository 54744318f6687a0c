import { describe, expect, it } from 'vitest';
import type { CanonicalEvent, Usage } from '../canonical/index.ts';
import { parseConfigText } from '../config/index.ts';
import { registerTokenizer } from '../veil/index.ts';
import { withReasoningUsage } from './count-reasoning-usage.ts';
import type { ChatWire } from './types.ts';

const model = parseConfigText('providers: {p: {type: openai-compatible, baseUrl: "http://x/v1"}}\nmodels: [{name: counted-model, provider: p}]', 'test').models[0]!;
registerTokenizer('counted-model', (text) => text.split(' ').length);

const usage = (outputTokens: number, reasoningTokens: number): CanonicalEvent => ({
  type: 'usage',
  usage: { inputTokens: 5, outputTokens, reasoningTokens, cachedInputTokens: 0, cacheWriteTokens: 0 },
});

/** A wire whose decoders replay `events`. */
function replaying(events: CanonicalEvent[]): ChatWire {
  return {
    path: '/chat/completions',
    encodeRequest: () => Buffer.alloc(0),
    decodeResponse: () => events,
    createStreamDecoder: (emit) => ({ feed: () => events.forEach(emit), end: () => {} }),
    createObserver: () => {
      throw new Error('unused');
    },
    terminalMarker: 'data: [DONE]',
  };
}

function usages(wire: ChatWire): Usage[] {
  const streamed: CanonicalEvent[] = [];
  const decoder = wire.createStreamDecoder((e) => streamed.push(e), model);
  decoder.feed(Buffer.alloc(0));
  decoder.end();
  const whole = wire.decodeResponse(Buffer.alloc(0), model);
  return [...streamed, ...whole].flatMap((e) => (e.type === 'usage' ? [e.usage] : []));
}

describe('withReasoningUsage', () => {
  const reasoning: CanonicalEvent = { type: 'reasoning-delta', choice: 0, text: 'one two three four' };
  it("fills a zero reasoning count from the model's tokenizer, in streams and bodies alike", () => {
    expect(usages(withReasoningUsage(replaying([reasoning, { type: 'text-delta', choice: 0, text: 'x' }, usage(9, 0)]))).map((u) => u.reasoningTokens)).toEqual([4, 4]);
  });
  it("keeps the upstream's own non-zero count, never exceeds the output, and leaves answers without reasoning alone", () => {
    expect(usages(withReasoningUsage(replaying([reasoning, usage(9, 7)]))).map((u) => u.reasoningTokens)).toEqual([7, 7]);
    expect(usages(withReasoningUsage(replaying([reasoning, usage(3, 0)]))).map((u) => u.reasoningTokens)).toEqual([3, 3]);
    expect(usages(withReasoningUsage(replaying([{ type: 'text-delta', choice: 0, text: 'x' }, usage(9, 0)]))).map((u) => u.reasoningTokens)).toEqual([0, 0]);
  });
});
