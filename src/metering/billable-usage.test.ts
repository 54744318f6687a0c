import { describe, expect, it } from 'vitest';
import { foldEvents, type CanonicalRequest, type Usage } from '../canonical/index.ts';
import { billableUsage, type AnswerEvidence } from './billable-usage.ts';

// A counter that makes counts easy to check by eye: one token per word.
const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
const exact = () => ({ count: words, exact: true });
const loading = () => ({ count: words, exact: false });

const request: CanonicalRequest = {
  model: 'm', stream: true, includeUsage: false, options: {},
  messages: [{ role: 'user', parts: [{ type: 'text', text: 'one two three' }] }],
};
// 3 to prime the reply + 3 for the message + 3 words.
const REQUEST_TOKENS = 9;
const answer = () =>
  foldEvents([
    { type: 'reasoning-delta', choice: 0, text: 'think a bit' },
    { type: 'text-delta', choice: 0, text: 'four five' },
    { type: 'tool-call-delta', choice: 0, index: 0, name: 'get', argumentsDelta: '{"a": 1}' },
  ]);
const usage = (over: Partial<Usage>): Usage => ({ inputTokens: 0, outputTokens: 0, reasoningTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, ...over });
const evidence = (over: Partial<AnswerEvidence>): AnswerEvidence => ({ upstream: null, upstreamFinal: false, completed: false, generated: false, ...over });
const never = () => {
  throw new Error('must not count');
};

describe('billableUsage', () => {
  it("the upstream's final usage, without counting anything", () => {
    const final = usage({ inputTokens: 31, outputTokens: 23 });
    expect(billableUsage(evidence({ upstream: final, upstreamFinal: true, completed: true, generated: true }), request, never, never)).toEqual({ usage: final, source: 'upstream' });
  });

  it('an attempt that failed before any output: not billed, unless the upstream reported usage', () => {
    expect(billableUsage(evidence({}), request, never, never)).toEqual({ usage: null, source: 'estimate' });
    const partial = usage({ inputTokens: 27, outputTokens: 1 });
    expect(billableUsage(evidence({ upstream: partial }), request, never, never)).toEqual({ usage: partial, source: 'upstream' });
  });

  it('a completed answer without usage: the request and the whole answer counted', () => {
    // Output: 3 reasoning words + 2 text words + name (1) + arguments (2).
    expect(billableUsage(evidence({ completed: true }), request, answer, exact)).toEqual({
      usage: usage({ inputTokens: REQUEST_TOKENS, outputTokens: 8, reasoningTokens: 3 }),
      source: 'tokenizer',
    });
  });

  it('an answer cut after output was generated: counted up to the cut', () => {
    expect(billableUsage(evidence({ generated: true }), request, answer, exact).usage).toEqual(usage({ inputTokens: REQUEST_TOKENS, outputTokens: 8, reasoningTokens: 3 }));
  });

  it("partial upstream usage: the upstream's input counts, the counted output, never below the upstream's own output count", () => {
    const partial = usage({ inputTokens: 1210, cachedInputTokens: 1183, cacheWriteTokens: 23, outputTokens: 1 });
    expect(billableUsage(evidence({ upstream: partial, generated: true }), request, answer, exact)).toEqual({
      usage: usage({ inputTokens: 1210, cachedInputTokens: 1183, cacheWriteTokens: 23, outputTokens: 8, reasoningTokens: 3 }),
      source: 'tokenizer',
    });
    const ahead = usage({ inputTokens: 27, outputTokens: 50 });
    expect(billableUsage(evidence({ upstream: ahead, generated: true }), request, answer, exact).usage?.outputTokens).toBe(50);
  });

  it("says 'estimate' while the tokenizer is still loading", () => {
    expect(billableUsage(evidence({ completed: true }), request, answer, loading).source).toBe('estimate');
  });

  it('no canonical request (embeddings): only what the upstream said', () => {
    expect(billableUsage(evidence({ completed: true }), null, never, never)).toEqual({ usage: null, source: 'estimate' });
  });
});
