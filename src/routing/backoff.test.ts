import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRetryAfter, retryDelay } from './backoff.ts';

const config = { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1000 };

describe('retryDelay', () => {
  it('stays within the doubling bound, capped at maxDelayMs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (retry, r) => {
        const delay = retryDelay(retry, config, null, () => r)!;
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(Math.min(1000, 100 * 2 ** retry));
      }),
    );
    expect(retryDelay(2, config, null, () => 0.5)).toBe(200);
  });

  it("honours the upstream's Retry-After when it fits, and gives up on the target when it does not", () => {
    expect(retryDelay(0, config, 800, () => 0)).toBe(800);
    expect(retryDelay(0, config, 0, () => 0.9)).toBe(0);
    expect(retryDelay(0, config, 1001, () => 0)).toBeNull();
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.UTC(2026, 10, 25, 12, 0, 0);
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter('0.5', now)).toBe(500);
    expect(parseRetryAfter('Wed, 25 Nov 2026 12:00:03 GMT', now)).toBe(3000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
  });
});
