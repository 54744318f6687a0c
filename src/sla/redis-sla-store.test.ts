import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema, type MoatConfig } from '../config/index.ts';
import { createLogger } from '../telemetry/index.ts';
import { SlaTracker } from './sla-tracker.ts';
import { freePort, killAndWait, startPrivateRedis } from '../../test/support/private-redis.ts';
import { until } from '../../test/support/until.ts';

/**
 * Two trackers (two replicas) sharing the machine's Redis under a key prefix of this run's own: each
 * reads the sum of both, exactly.
 */
const REDIS = process.env.MOAT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `moat-test:sla:${randomBytes(6).toString('hex')}:`;
const quiet = createLogger('silent', new Writable({ write: (_c, _e, done) => done() }));

const config = (url: string): MoatConfig =>
  configSchema.parse({
    sla: { sliceMs: 1000, windowsMs: [60_000, 300_000], evaluateMs: 1000, redis: { url, keyPrefix: prefix, flushMs: 100 } },
    providers: { alpha: { type: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', slo: { availability: 0.99, windowMs: 60_000, minRequests: 5 } } },
  });

const exactQuantile = (samples: number[], q: number): number => [...samples].sort((a, b) => a - b)[Math.ceil(q * samples.length) - 1]!;
const within = (reported: number, truth: number): boolean => Math.abs(reported - truth) <= 0.1 * truth + 2;

let admin: Redis;
beforeAll(() => {
  admin = new Redis(REDIS, { lazyConnect: false, maxRetriesPerRequest: 1 });
});
afterAll(async () => {
  const keys = await admin.keys(`${prefix}*`);
  if (keys.length > 0) await admin.del(...keys);
  admin.disconnect();
});

async function connected(tracker: SlaTracker): Promise<void> {
  for (let i = 0; i < 100 && (await tracker.report()).source !== 'redis'; i++) await new Promise((r) => setTimeout(r, 20));
}

describe('SLA figures merged through Redis', () => {
  it('two replicas each read the exact sum of both', async () => {
    const cfg = config(REDIS);
    const a = new SlaTracker({ settings: cfg.sla, logger: quiet, config: () => cfg });
    const b = new SlaTracker({ settings: cfg.sla, logger: quiet, config: () => cfg });
    await Promise.all([connected(a), connected(b)]);
    const now = Date.now();
    const latencies: number[] = [];
    for (let i = 0; i < 300; i++) {
      const ms = 20 + ((i * 37) % 400);
      latencies.push(ms);
      (i % 2 === 0 ? a : b).record('alpha', { at: now - (i % 50) * 1000, outcome: 'ok', latencyMs: ms, ttftMs: ms / 4 });
    }
    for (let i = 0; i < 7; i++) a.record('alpha', { at: now, outcome: 'server_error', latencyMs: 3, ttftMs: null });
    for (let i = 0; i < 4; i++) b.record('alpha', { at: now, outcome: 'timeout', latencyMs: 3, ttftMs: null });
    b.record('beta', { at: now, outcome: 'rate_limited', latencyMs: 3, ttftMs: null });
    await Promise.all([a.flush(), b.flush()]);

    for (const reader of [a, b]) {
      const report = await reader.report();
      expect(report.source).toBe('redis');
      const alpha = report.upstreams.find((u) => u.upstream === 'alpha')!;
      expect(alpha.windows['1m']!.counts).toEqual({ ok: 300, client_error: 0, rate_limited: 0, server_error: 7, timeout: 4, connection: 0 });
      for (const [q, key] of [[0.5, 'p50'], [0.95, 'p95'], [0.99, 'p99']] as const) {
        expect(within(alpha.windows['1m']!.latencyMs[key]!, exactQuantile(latencies, q))).toBe(true);
        expect(within(alpha.windows['1m']!.ttftMs[key]!, exactQuantile(latencies, q) / 4)).toBe(true);
      }
      expect(alpha.slo!.objectives[0]).toMatchObject({ objective: 'availability', status: 'breached' });
      expect(report.upstreams.find((u) => u.upstream === 'beta')!.windows['5m']!.counts.rate_limited).toBe(1);
    }
    // A read right after a record counts it: the reader pushes its own first.
    a.record('alpha', { at: Date.now(), outcome: 'connection', latencyMs: 3, ttftMs: null });
    expect((await b.report()).upstreams.find((u) => u.upstream === 'alpha')!.windows['1m']!.counts.connection).toBe(0);
    expect((await a.report()).upstreams.find((u) => u.upstream === 'alpha')!.windows['1m']!.counts.connection).toBe(1);
    expect((await b.report()).upstreams.find((u) => u.upstream === 'alpha')!.windows['1m']!.counts.connection).toBe(1);
    // Repeated reads (some slices now cached) give the same figures.
    const again = (await b.report()).upstreams.find((u) => u.upstream === 'alpha')!.windows['5m']!;
    expect(again.requests).toBe(312);
    // One replica leads the alerts.
    const leads = [await a['leads'](), await b['leads']()];
    expect(leads.filter(Boolean)).toHaveLength(1);
    await Promise.all([a.close(), b.close()]);
    const keys = await admin.keys(`${prefix}v1:s:*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(await admin.pttl(keys[0]!)).toBeGreaterThan(300_000);
  });

  it('while Redis does not answer, a replica reports its own figures and keeps them for the next push', async () => {
    const cfg = config('redis://127.0.0.1:1');
    const lonely = new SlaTracker({ settings: cfg.sla, logger: quiet, config: () => cfg });
    lonely.record('alpha', { at: Date.now(), outcome: 'ok', latencyMs: 10, ttftMs: null });
    const report = await lonely.report();
    expect(report.source).toBe('local');
    expect(report.upstreams.find((u) => u.upstream === 'alpha')!.windows['1m']!.counts.ok).toBe(1);
    expect(lonely['local'].takeOutbox().get('alpha')?.size).toBe(1);
    await lonely.close();
  });
});

describe('SLA figures across a Redis outage', () => {
  it('a replica keeps what it records while Redis is down and pushes it once Redis is back', async () => {
    const port = await freePort();
    let server = await startPrivateRedis(port);
    const cfg = config(`redis://127.0.0.1:${port}`);
    const writer = new SlaTracker({ settings: cfg.sla, logger: quiet, config: () => cfg });
    const reader = new SlaTracker({ settings: cfg.sla, logger: quiet, config: () => cfg });
    try {
      await Promise.all([connected(writer), connected(reader)]);
      const count = async (t: SlaTracker): Promise<{ source: string; ok: number }> => {
        const report = await t.report();
        return { source: report.source, ok: report.upstreams.find((u) => u.upstream === 'alpha')?.windows['1m']!.counts.ok ?? 0 };
      };
      for (let i = 0; i < 10; i++) writer.record('alpha', { at: Date.now(), outcome: 'ok', latencyMs: 10, ttftMs: null });
      expect(await count(writer)).toEqual({ source: 'redis', ok: 10 });

      await killAndWait(server);
      for (let i = 0; i < 5; i++) writer.record('alpha', { at: Date.now(), outcome: 'ok', latencyMs: 10, ttftMs: null });
      // Its own figures meanwhile: everything it recorded, the pushed and the kept.
      expect(await count(writer)).toEqual({ source: 'local', ok: 15 });

      // The new server starts empty: what reaches it is exactly what was kept during the outage.
      server = await startPrivateRedis(port);
      await until(async () => (await count(reader)).source === 'redis', 'the reader reconnected', 5000);
      await until(async () => (await count(writer)).source === 'redis', 'the writer reconnected', 5000);
      expect(await count(reader)).toEqual({ source: 'redis', ok: 5 });
    } finally {
      await Promise.all([writer.close(), reader.close()]);
      await killAndWait(server);
    }
  }, 20_000);
});
