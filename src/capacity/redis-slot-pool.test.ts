import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { CapacityRedisConfig } from '../config/index.ts';
import { MoatError } from '../errors/index.ts';
import { CapacityRedis } from './capacity-redis.ts';
import { RedisSlotPool } from './redis-slot-pool.ts';
import { freePort } from '../../test/support/private-redis.ts';

/**
 * Against the Redis of the development and CI machines (127.0.0.1:6379), each run under its own key
 * prefix. Two CapacityRedis connections stand for two replicas.
 */
const URL = process.env.MOAT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const opened: CapacityRedis[] = [];
const pools: RedisSlotPool[] = [];
afterEach(async () => {
  for (const pool of pools.splice(0)) pool.close();
  await Promise.all(opened.splice(0).map((r) => r.close()));
});

function replica(prefix: string, overrides: Partial<CapacityRedisConfig> = {}, failures: unknown[] = []): CapacityRedis {
  const settings: CapacityRedisConfig = { url: URL, keyPrefix: prefix, onOutage: 'failOpen', leaseMs: 10_000, pollMs: 50, commandTimeoutMs: 500, ...overrides };
  const redis = new CapacityRedis(settings, { failed: (error) => failures.push(error), recovered() {} });
  opened.push(redis);
  return redis;
}

function pool(redis: CapacityRedis, max: number, provider = 'gpu'): RedisSlotPool {
  const created = new RedisSlotPool(provider, max, redis);
  pools.push(created);
  return created;
}

const prefix = (): string => `moat-test-${randomBytes(6).toString('hex')}:`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('RedisSlotPool', () => {
  it('shares maxInFlight across replicas, and tells the others when a slot frees', async () => {
    const p = prefix();
    const [a, b] = [pool(replica(p), 2), pool(replica(p), 2)];
    const one = await a.take(1);
    const two = await b.take(1);
    expect([one, two].every((h) => h !== null)).toBe(true);
    expect(await a.take(1)).toBeNull();
    expect(await b.take(1)).toBeNull();
    let told = 0;
    b.onMaybeFree = () => told++;
    await sleep(50); // the subscription is in place
    a.give(one!);
    const deadline = Date.now() + 2000;
    while (told === 0 && Date.now() < deadline) await sleep(5);
    expect(told).toBeGreaterThan(0);
    expect(await b.take(1)).not.toBeNull();
    expect(await a.take(1)).toBeNull();
  });

  it('makes a replica asking for a worse class yield to one where a better class waits', async () => {
    const p = prefix();
    const [a, b] = [pool(replica(p), 1), pool(replica(p), 1)];
    const held = await a.take(2);
    expect(held).not.toBeNull();
    // b's premium request finds the slot taken: b registers priority 0 as waiting.
    expect(await b.take(0)).toBeNull();
    a.give(held!);
    await sleep(20);
    // a's batch request yields although the slot is free; b's premium one gets it.
    expect(await a.take(2)).toBeNull();
    expect(await b.take(0)).not.toBeNull();
  });

  it('stops yielding once the better-class replica has nobody waiting', async () => {
    const p = prefix();
    const [a, b] = [pool(replica(p), 1), pool(replica(p), 1)];
    const held = await a.take(1);
    expect(await b.take(0)).toBeNull();
    b.setWaiting(true);
    b.setWaiting(false); // its premium request left (timed out, client gone)
    a.give(held!);
    await sleep(20);
    expect(await a.take(2)).not.toBeNull();
  });

  it("frees a dead replica's slots when their leases end, and keeps a live replica's leases renewed", async () => {
    const p = prefix();
    const live = pool(replica(p, { leaseMs: 300 }), 2);
    const dyingRedis = replica(p, { leaseMs: 300 });
    const dying = pool(dyingRedis, 2);
    const other = pool(replica(p, { leaseMs: 300 }), 2);
    expect(await live.take(1)).not.toBeNull();
    expect(await dying.take(1)).not.toBeNull();
    // The dying replica stops renewing (as if killed); the live one keeps renewing every 100 ms.
    dying.close();
    await dyingRedis.close();
    opened.splice(opened.indexOf(dyingRedis), 1);
    expect(await other.take(1)).toBeNull();
    await sleep(700);
    expect(await other.take(1)).not.toBeNull();
    expect(await other.take(1)).toBeNull();
  });

  it('counts slots in this process when Redis does not answer and onOutage is failOpen', async () => {
    const port = await freePort();
    const failures: unknown[] = [];
    const p = pool(replica(prefix(), { url: `redis://127.0.0.1:${port}`, onOutage: 'failOpen', commandTimeoutMs: 200 }, failures), 2);
    const started = Date.now();
    const holders = [await p.take(1), await p.take(1), await p.take(1)];
    expect(Date.now() - started).toBeLessThan(2000);
    expect(holders.map((h) => h !== null)).toEqual([true, true, false]);
    expect(failures.length).toBeGreaterThan(0);
    p.give(holders[0]!);
    expect(await p.take(1)).not.toBeNull();
  });

  it('refuses with capacity_unavailable when Redis does not answer and onOutage is failClosed', async () => {
    const port = await freePort();
    const p = pool(replica(prefix(), { url: `redis://127.0.0.1:${port}`, onOutage: 'failClosed', commandTimeoutMs: 200 }), 2);
    const started = Date.now();
    const error = await p.take(1).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error).toBeInstanceOf(MoatError);
    expect((error as MoatError).code).toBe('capacity_unavailable');
    expect((error as MoatError).retryAfter).toBe('1');
  });
});

