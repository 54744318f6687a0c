import { describe, expect, it } from 'vitest';
import { UpstreamHealth } from './upstream-health.ts';

const config = { retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 10 }, breaker: { failureThreshold: 2, openMs: 1000, halfOpenRequests: 1 }, maxAttempts: 4, latencyHalfLifeMs: 1000 };

function health() {
  let now = 0;
  const h = new UpstreamHealth(config, () => now);
  return { h, advance: (ms: number) => (now += ms) };
}

describe('UpstreamHealth', () => {
  it('opens the breaker on server failures but not on client errors or rate limits', () => {
    const { h } = health();
    h.failure('a', 'client_error', 5, null);
    h.failure('a', 'rate_limited', 5, null);
    h.failure('a', 'client_error', 5, null);
    expect(h.unavailable('a')).toBeNull();
    h.failure('a', 'server_error', 5, null);
    h.failure('a', 'timeout', 5, null);
    expect(h.unavailable('a')).toBe('breaker_open');
    expect(h.retryInMs('a')).toBe(1000);
  });

  it("marks an upstream as cooling for its Retry-After, without taking it out", () => {
    const { h, advance } = health();
    h.failure('a', 'rate_limited', 5, 300);
    expect(h.cooling('a')).toBe(true);
    expect(h.unavailable('a')).toBeNull();
    expect(h.retryInMs('a')).toBe(300);
    advance(300);
    expect(h.cooling('a')).toBe(false);
  });

  it('marks a probed-down upstream unavailable until a probe says it is up', () => {
    const { h } = health();
    h.setProbe('a', false);
    expect(h.unavailable('a')).toBe('probe_down');
    h.setProbe('a', true);
    expect(h.unavailable('a')).toBeNull();
  });

  it('averages latency with time decay: after one half-life a new sample moves the average half way', () => {
    const { h, advance } = health();
    h.success('a', 100);
    expect(h.latencyMs('a')).toBe(100);
    advance(1000);
    h.success('a', 300);
    expect(h.latencyMs('a')).toBeCloseTo(200, 5);
  });
});
