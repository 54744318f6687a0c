import { describe, expect, it } from 'vitest';
import { configSchema } from '../config/index.ts';
import { MoatError } from '../errors/index.ts';
import { MemoryRateLimitStore } from './memory-store.ts';
import { RateLimiter, type Admission, type OutagePolicy } from './rate-limiter.ts';
import type { AdmitResult, LimitCheck, RateLimitStore } from './rate-limit-store.ts';

const limits = (rules: unknown[]) => configSchema.parse({ rateLimits: { rules } }).rateLimits;
const caller = { id: 'key-1', tenantId: 'acme', tier: 'standard' };
const model = { requested: 'm', entryName: 'm', served: 'p/m' };

/** A shared store that works until told to fail, recording what it was asked. */
class FlakyStore implements RateLimitStore {
  readonly kind = 'redis';
  failing = false;
  readonly inner: MemoryRateLimitStore;
  readonly calls: string[] = [];
  constructor(clock: () => number) {
    this.inner = new MemoryRateLimitStore({ clock });
  }
  async admit(checks: readonly LimitCheck[], tokens: number): Promise<AdmitResult> {
    this.calls.push('admit');
    if (this.failing) throw new Error('connection refused');
    return this.inner.admit(checks, tokens);
  }
  async adjustTokens(checks: readonly LimitCheck[], delta: number): Promise<void> {
    this.calls.push(`adjust ${delta}`);
    if (this.failing) throw new Error('connection refused');
    this.inner.adjustTokens(checks, delta);
  }
  async release(checks: readonly LimitCheck[]): Promise<void> {
    this.calls.push('release');
    if (this.failing) throw new Error('connection refused');
    this.inner.release(checks);
  }
  async close(): Promise<void> {}
}

function setup() {
  let now = 1_000_000;
  const shared = new FlakyStore(() => now);
  const events: string[] = [];
  const limiter = new RateLimiter({
    shared,
    clock: () => now,
    breakerMs: 500,
    onStoreDown: (_e, policy) => events.push(`down ${policy}`),
    onStoreUp: () => events.push('up'),
    onStoreFailure: (policy) => events.push(`failure ${policy}`),
  });
  return { shared, limiter, events, advance: (ms: number) => (now += ms) };
}

async function admit(limiter: RateLimiter, config: ReturnType<typeof limits>, tokens = 0, policy: OutagePolicy = 'failOpen', member = 'r'): Promise<Admission> {
  return limiter.admit(limiter.limitsFor(config, caller, model)!, tokens, member, policy);
}

describe('RateLimiter', () => {
  it('finds no limits without rules (nothing to count), and refuses with the dialect-neutral error', async () => {
    const limiter = new RateLimiter({ clock: () => 0 });
    expect(limiter.limitsFor(limits([]), caller, model)).toBeNull();
    const config = limits([{ per: 'key', requestsPerMinute: 2 }]);
    expect((await admit(limiter, config)).allowed).toBe(true);
    expect((await admit(limiter, config)).allowed).toBe(true);
    const refused = await admit(limiter, config);
    expect(refused.allowed).toBe(false);
    if (refused.allowed) return;
    expect(refused.view.requests).toEqual({ limit: 2, remaining: 0, resetMs: 60_000 });
    expect(refused.refusal.retryAfterMs).toBe(30_000);
    expect(refused.refusal.error).toMatchObject({ code: 'rate_limit_exceeded', status: 429, type: 'requests', retryAfter: '30', shouldRetry: true });
    expect(refused.refusal.error.message).toBe('Rate limit reached for requests per minute (RPM) on this key: Limit 2, Remaining 0. Please try again in 30s.');
    await limiter.close();
  });

  it('refuses a token estimate above the whole limit as not retryable', async () => {
    const limiter = new RateLimiter({ clock: () => 0 });
    const refused = await admit(limiter, limits([{ name: 'small', per: 'tenant', tokensPerMinute: 1000 }]), 1001);
    expect(refused.allowed).toBe(false);
    if (refused.allowed) return;
    expect(refused.refusal.retryAfterMs).toBeNull();
    expect(refused.refusal.error).toMatchObject({ code: 'token_rate_limit_exceeded', type: 'tokens', retryAfter: null, shouldRetry: false });
    expect(refused.refusal.error.message).toContain("Request too large for tokens per minute (TPM) on this key's tenant (rule small): Limit 1000, Requested 1001");
    await limiter.close();
  });

  it('settles tokens on actual usage and frees the slot once, in the store that admitted', async () => {
    const { shared, limiter } = setup();
    const config = limits([{ per: 'key', tokensPerMinute: 10_000, concurrent: 1 }]);
    const first = await admit(limiter, config, 3000);
    expect(first.allowed && first.store).toBe('redis');
    expect((await admit(limiter, config, 10)).allowed).toBe(false);
    if (!first.allowed) return;
    first.grant.finish(500);
    first.grant.finish(500);
    await Promise.resolve();
    expect(shared.calls).toEqual(['admit', 'admit', 'adjust -2500', 'release']);
    const second = await admit(limiter, config, 0);
    expect(second.allowed && second.view.tokens).toEqual({ limit: 10_000, remaining: 9500, resetMs: 3000 });
    await limiter.close();
  });

  it('fails open to this process: logs once, counts each admission, skips Redis for a moment, and comes back', async () => {
    const { shared, limiter, events, advance } = setup();
    const config = limits([{ per: 'key', requestsPerMinute: 1 }]);
    shared.failing = true;
    const a = await admit(limiter, config);
    expect(a.allowed && a.store).toBe('memory');
    // In-process limits hold meanwhile.
    expect((await admit(limiter, config)).allowed).toBe(false);
    expect(shared.calls).toEqual(['admit']);
    expect(events).toEqual(['down failOpen', 'failure failOpen', 'failure failOpen']);
    advance(500);
    shared.failing = false;
    const back = await admit(limiter, config);
    expect(back.allowed && back.store).toBe('redis');
    expect(events.slice(3)).toEqual(['up']);
    // A grant from the outage is released in memory, not in Redis.
    if (a.allowed) a.grant.finish(null);
    expect(shared.calls).toEqual(['admit', 'admit']);
    await limiter.close();
  });

  it('fails closed with a 503 that says when to come back', async () => {
    const { shared, limiter, events } = setup();
    shared.failing = true;
    const error = await admit(limiter, limits([{ per: 'key', requestsPerMinute: 100 }]), 0, 'failClosed').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MoatError);
    expect(error).toMatchObject({ code: 'rate_limiter_unavailable', status: 503, retryAfter: '1' });
    expect(events).toEqual(['down failClosed', 'failure failClosed']);
    await limiter.close();
  });
});
