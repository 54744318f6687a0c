import { describe, expect, it } from 'vitest';
import { CONCURRENT_RETRY_MS, MemoryRateLimitStore } from './memory-store.ts';
import type { LimitCheck } from './rate-limit-store.ts';

const rpm = (limit: number, counter = 'rpm'): LimitCheck => ({ counter, kind: 'requests', limit, scope: 'this key' });
const tpm = (limit: number, counter = 'tpm'): LimitCheck => ({ counter, kind: 'tokens', limit, scope: 'this key' });
const con = (limit: number, counter = 'con'): LimitCheck => ({ counter, kind: 'concurrent', limit, scope: 'this key' });

describe('MemoryRateLimitStore', () => {
  it('admits on every check or on none', () => {
    let now = 0;
    const store = new MemoryRateLimitStore({ clock: () => now });
    const checks = [rpm(10), tpm(1000)];
    expect(store.admit(checks, 600).allowed).toBe(true);
    // The tokens check refuses: the requests check must not count this attempt.
    const refused = store.admit(checks, 600);
    expect(refused.allowed).toBe(false);
    expect(refused.states).toEqual([
      { remaining: 8, resetMs: 12_000, retryAfterMs: 0 },
      { remaining: 400, resetMs: 36_000, retryAfterMs: 12_000 },
    ]);
    expect(store.admit([rpm(10)], 0).states[0]!.remaining).toBe(8);
    now = 12_000;
    expect(store.admit(checks, 600).allowed).toBe(true);
  });

  it('holds concurrency slots until released, and a refused admission takes none', () => {
    const store = new MemoryRateLimitStore({ clock: () => 0 });
    const checks = [con(2), rpm(3)];
    expect(store.admit(checks, 0).states[0]).toEqual({ remaining: 1, resetMs: 0, retryAfterMs: 0 });
    expect(store.admit(checks, 0).allowed).toBe(true);
    const full = store.admit(checks, 0);
    expect(full.allowed).toBe(false);
    expect(full.states[0]).toEqual({ remaining: 0, resetMs: 0, retryAfterMs: CONCURRENT_RETRY_MS });
    store.release(checks);
    expect(store.inFlight('con')).toBe(1);
    // The slot is free, but the requests-per-minute limit (3) now refuses the fourth.
    expect(store.admit(checks, 0).allowed).toBe(true);
    expect(store.admit([con(5), rpm(3)], 0).allowed).toBe(false);
    store.release(checks);
    store.release(checks);
    expect(store.inFlight('con')).toBe(0);
    expect(store.size).toBe(1);
  });

  it('settles token reservations and forgets full buckets', () => {
    let now = 0;
    const store = new MemoryRateLimitStore({ clock: () => now });
    store.admit([tpm(6000)], 5000);
    store.adjustTokens([rpm(5), tpm(6000)], -4000);
    expect(store.admit([tpm(6000)], 0).states[0]!.remaining).toBe(5000);
    now = 10_000;
    store.sweep();
    expect(store.size).toBe(0);
  });
});
