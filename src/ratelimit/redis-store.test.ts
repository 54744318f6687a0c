import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryRateLimitStore } from './memory-store.ts';
import type { LimitCheck } from './rate-limit-store.ts';
import { RedisRateLimitStore } from './redis-store.ts';

/**
 * Against the Redis of the development and CI machines (127.0.0.1:6379), each run under its own key
 * prefix. The scripts take the test's clock instead of Redis's, so nothing here waits on time.
 */
const URL = process.env.MOAT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `moat-test:${randomBytes(6).toString('hex')}:`;

const rpm = (limit: number, counter = 'rpm'): LimitCheck => ({ counter, kind: 'requests', limit, scope: 's' });
const tpm = (limit: number, counter = 'tpm'): LimitCheck => ({ counter, kind: 'tokens', limit, scope: 's' });
const con = (limit: number, counter = 'con'): LimitCheck => ({ counter, kind: 'concurrent', limit, scope: 's' });

describe('RedisRateLimitStore', () => {
  let now = 1_800_000_000_000;
  const stores: RedisRateLimitStore[] = [];
  const admin = new Redis(URL, { lazyConnect: true });
  const open = (leaseMs = 30_000, url = URL, name = ''): RedisRateLimitStore => {
    const store = new RedisRateLimitStore({ url, keyPrefix: `${prefix}${name}`, commandTimeoutMs: 500, leaseMs, clock: () => now });
    stores.push(store);
    return store;
  };

  beforeAll(async () => {
    await admin.connect();
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length > 0) await admin.del(...keys);
    admin.disconnect();
  });

  it('decides exactly as the in-process store does', async () => {
    const redis = open(30_000, URL, 'parity:');
    expect(await redis.waitUntilConnected(2000)).toBe(true);
    const memory = new MemoryRateLimitStore({ clock: () => now });
    const checks = [rpm(7), tpm(5000), con(3)];
    let seed = 7;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let i = 0; i < 120; i++) {
      now += random(4000);
      // The heartbeat keeps the slots of requests in flight (memory has no leases to lapse).
      await redis.renewLeases();
      const tokens = random(1500);
      const member = `m${i}`;
      const [a, b] = [await redis.admit(checks, tokens, member), memory.admit(checks, tokens)];
      expect(a.allowed, `step ${i}`).toBe(b.allowed);
      a.states.forEach((state, j) => {
        const other = b.states[j]!;
        expect(state.remaining, `step ${i} check ${j}`).toBe(other.remaining);
        expect(state.resetMs).toBe(Math.ceil(other.resetMs));
        expect(state.retryAfterMs).toBe(other.retryAfterMs === Infinity ? Infinity : Math.ceil(other.retryAfterMs));
      });
      if (a.allowed && random(3) === 0) {
        await redis.release(checks, member);
        memory.release(checks);
      }
      if (a.allowed && random(2) === 0) {
        const delta = random(tokens + 1) - tokens;
        await redis.adjustTokens(checks, delta);
        memory.adjustTokens(checks, delta);
      }
    }
  });

  it('is atomic across connections: 300 concurrent admissions on a limit of 100 admit exactly 100', async () => {
    const replicas = [open(), open(), open()];
    await Promise.all(replicas.map((r) => r.waitUntilConnected(2000)));
    const checks = [rpm(100, 'shared-rpm'), con(1000, 'shared-con')];
    const results = await Promise.all(Array.from({ length: 300 }, (_, i) => replicas[i % 3]!.admit(checks, 0, `req-${i}`)));
    expect(results.filter((r) => r.allowed)).toHaveLength(100);
    expect(await admin.zcard(`${prefix}shared-con`)).toBe(100);
  });

  it("keeps a live replica's slots with its heartbeat, and lets a dead one's lapse", async () => {
    const live = open(1000);
    const dead = open(1000);
    await Promise.all([live.waitUntilConnected(2000), dead.waitUntilConnected(2000)]);
    const checks = [con(2, 'lease-con')];
    expect((await live.admit(checks, 0, 'live-1')).allowed).toBe(true);
    expect((await dead.admit(checks, 0, 'dead-1')).allowed).toBe(true);
    expect((await live.admit(checks, 0, 'live-2')).allowed).toBe(false);
    now += 800;
    await live.renewLeases();
    now += 800;
    // dead-1's lease ran out; live-1's was renewed.
    expect((await live.admit(checks, 0, 'live-2')).allowed).toBe(true);
    expect((await live.admit(checks, 0, 'live-3')).allowed).toBe(false);
    await live.release(checks, 'live-1');
    expect((await live.admit(checks, 0, 'live-3')).allowed).toBe(true);
  });

  it('loads its scripts again after Redis forgot them', async () => {
    const store = open();
    await store.waitUntilConnected(2000);
    await admin.script('FLUSH');
    expect((await store.admit([rpm(5, 'flushed')], 0, 'x')).states[0]!.remaining).toBe(4);
  });

  it('fails at once, without waiting, when Redis is not there', async () => {
    const store = open(30_000, 'redis://127.0.0.1:1');
    const started = performance.now();
    await expect(store.admit([rpm(5)], 0, 'x')).rejects.toThrow(/not connected/);
    expect(performance.now() - started).toBeLessThan(100);
  });
});
