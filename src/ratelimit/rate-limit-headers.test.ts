import { describe, expect, it } from 'vitest';
import { formatOpenAIDuration, formatRfc3339, rateLimitHeaders, summarizeLimits } from './rate-limit-headers.ts';
import type { LimitCheck } from './rate-limit-store.ts';

const check = (kind: LimitCheck['kind'], limit: number, counter = `${kind}-${limit}`): LimitCheck => ({ counter, kind, limit, scope: 's' });

describe('formatOpenAIDuration', () => {
  it("writes Go's duration form, as OpenAI's headers do, rounded up to the ms", () => {
    expect([0, 0.2, 12, 999.1, 1000, 1500, 17_280, 59_999, 60_000, 60_500, 360_000, 3_723_000].map(formatOpenAIDuration)).toEqual([
      '0s', '1ms', '12ms', '1s', '1s', '1.5s', '17.28s', '59.999s', '1m0s', '1m0.5s', '6m0s', '1h2m3s',
    ]);
  });
});

describe('formatRfc3339', () => {
  it('gives whole seconds in UTC, rounded up', () => {
    expect(formatRfc3339(Date.UTC(2031, 4, 17, 13, 0, 0, 1))).toBe('2031-05-17T13:00:01Z');
    expect(formatRfc3339(Date.UTC(2031, 4, 17, 13, 0, 0))).toBe('2031-05-17T13:00:00Z');
  });
});

describe('rateLimitHeaders', () => {
  const checks = [check('requests', 100), check('requests', 10), check('tokens', 5000), check('concurrent', 2), check('tokens', 90_000)];
  const states = [
    { remaining: 7, resetMs: 1800, retryAfterMs: 0 },
    { remaining: 7, resetMs: 18_000, retryAfterMs: 0 },
    { remaining: 4000, resetMs: 12_000, retryAfterMs: 0 },
    { remaining: 1, resetMs: 0, retryAfterMs: 0 },
    { remaining: 80_000, resetMs: 400, retryAfterMs: 0 },
  ];

  it('carries the most restrictive limit of each kind: least left, then the smaller limit', () => {
    expect(summarizeLimits(checks, states)).toEqual({
      requests: { limit: 10, remaining: 7, resetMs: 18_000 },
      tokens: { limit: 5000, remaining: 4000, resetMs: 12_000 },
    });
    expect(summarizeLimits([check('concurrent', 1)], [states[3]!])).toEqual({ requests: null, tokens: null });
  });

  it("writes OpenAI's and Anthropic's header sets", () => {
    const view = summarizeLimits(checks, states);
    const now = Date.UTC(2031, 4, 17, 13, 0, 0);
    expect(Object.fromEntries(rateLimitHeaders(view, false, now))).toEqual({
      'x-ratelimit-limit-requests': '10',
      'x-ratelimit-remaining-requests': '7',
      'x-ratelimit-reset-requests': '18s',
      'x-ratelimit-limit-tokens': '5000',
      'x-ratelimit-remaining-tokens': '4000',
      'x-ratelimit-reset-tokens': '12s',
    });
    expect(Object.fromEntries(rateLimitHeaders(view, true, now))).toEqual({
      'anthropic-ratelimit-requests-limit': '10',
      'anthropic-ratelimit-requests-remaining': '7',
      'anthropic-ratelimit-requests-reset': '2031-05-17T13:00:18Z',
      'anthropic-ratelimit-tokens-limit': '5000',
      'anthropic-ratelimit-tokens-remaining': '4000',
      'anthropic-ratelimit-tokens-reset': '2031-05-17T13:00:12Z',
    });
    expect(rateLimitHeaders({ requests: null, tokens: null }, false, now)).toEqual([]);
  });
});
