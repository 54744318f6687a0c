import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exactQuantile, SlaUpstream, WebhookReceiver, withinTolerance } from './support/sla-upstream.ts';
import { spawnGateway, stopGateways } from './support/spawn-gateway.ts';
import { until } from './support/until.ts';

/**
 * The SLA across replicas (issue 6, part 3): two gateway processes share the machine's Redis under a key
 * prefix of this run's own; each serves part of the traffic to one upstream; each one's
 * `GET /admin/sla/:upstream` shows the exact sum of both, and the breach is posted once for the fleet.
 */
const REDIS = process.env.MOAT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `moat-test:sla-e2e:${randomBytes(6).toString('hex')}:`;
const CLIENT_KEY = 'sk-moat-sla-redis-client-0123456789';
const READER_KEY = 'moat-sla-redis-reader-0123456789abcdef';

const upstream = new SlaUpstream();
const webhook = new WebhookReceiver();
const children: ChildProcess[] = [];
const logs = ['', ''];
let origins: string[] = [];
let dir: string;

beforeAll(async () => {
  const [upstreamUrl, webhookUrl] = await Promise.all([upstream.start(), webhook.start()]);
  dir = mkdtempSync(join(tmpdir(), 'moat-sla-redis-'));
  const files = [0, 1].map((i) => {
    mkdirSync(join(dir, `r${i}`));
    const file = join(dir, `r${i}`, 'moat.yaml');
    writeFileSync(
      file,
      `
log: { level: info }
storage: { path: ${join(dir, `r${i}`, 'moat.db')}, journalDir: ${join(dir, `r${i}`, 'journal')} }
auth: { keys: [{ name: sla-client, key: ${CLIENT_KEY} }] }
admin: { keys: [{ name: dashboards, keyEnv: SLA_READER_KEY, role: read-only }] }
routing: { retry: { maxRetries: 0 }, breaker: { failureThreshold: 1000 } }
sla:
  evaluateMs: 200
  redis: { url: ${REDIS}, keyPrefix: "${prefix}", flushMs: 200 }
  alerts: { webhookUrl: ${webhookUrl}/hook, cooldownMs: 600000 }
providers:
  flaky:
    type: openai-compatible
    baseUrl: ${upstreamUrl}/v1
    slo: { availability: 0.95, windowMs: 60000, minRequests: 10 }
  warm:
    type: openai-compatible
    baseUrl: ${upstreamUrl}/v1
models:
  - { name: "warm/*", provider: warm }
  - { name: "*", provider: flaky }
`,
    );
    return file;
  });
  origins = await Promise.all(files.map((file) => spawnGateway(file, children, { SLA_READER_KEY: READER_KEY })));
  children.forEach((child, i) => child.stdout!.on('data', (chunk: Buffer) => (logs[i] += chunk.toString())));
  // Warm each process's request path through another provider (not under test).
  for (const origin of origins) {
    const client = new OpenAI({ baseURL: `${origin}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
    for (let i = 0; i < 4; i++) await client.chat.completions.create({ model: 'warm/ok-5', messages: [{ role: 'user', content: 'hi' }] });
  }
  upstream.reset();
}, 30_000);

afterAll(async () => {
  await stopGateways(children);
  await Promise.all([upstream.stop(), webhook.stop()]);
  const redis = new Redis(REDIS);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  rmSync(dir, { recursive: true, force: true });
});

describe('two replicas sharing the SLA through Redis', () => {
  it('each reports the exact sum of both, and the breach is posted once', async () => {
    const plan = [
      // 120 successes in all, so that p99 is not the largest sample (one request held up by a busy machine).
      { ok: Array.from({ length: 60 }, (_, i) => 300 + ((i * 37) % 500)), failures: [...Array(6).fill('err-500')] },
      { ok: Array.from({ length: 60 }, (_, i) => 300 + ((i * 53) % 600)), failures: [...Array(5).fill('err-503'), ...Array(2).fill('err-429')] },
    ];
    await Promise.all(
      plan.map(async ({ ok, failures }, r) => {
        const client = new OpenAI({ baseURL: `${origins[r]}/v1`, apiKey: CLIENT_KEY, maxRetries: 0, timeout: 10_000 });
        const jobs = [
          ...ok.map((ms) => () => client.chat.completions.create({ model: `ok-${ms}`, messages: [{ role: 'user', content: 'hi' }] })),
          ...failures.map((model) => () => client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] }).then(() => expect.fail(`${model} succeeded`), () => {})),
        ];
        const order = jobs.map((job, i) => ({ job, key: (i * 7919) % jobs.length })).sort((a, b) => a.key - b.key);
        await Promise.all(Array.from({ length: 12 }, async () => {
          for (let next = order.shift(); next; next = order.shift()) await next.job();
        }));
      }),
    );
    expect(upstream.latencies).toHaveLength(120);

    type Body = { source: string; windows: Record<string, { requests: number; counts: Record<string, number>; latencyMs: Record<string, number> }> };
    const read = async (origin: string): Promise<Body> => {
      const response = await fetch(`${origin}/admin/sla/flaky`, { headers: { authorization: `Bearer ${READER_KEY}` } });
      expect(response.status).toBe(200);
      return (await response.json()) as Body;
    };
    for (const origin of origins) {
      // A replica's own samples count at once; the other's once it has pushed them (every flushMs, 200 ms here).
      await until(async () => (await read(origin)).windows['1m']!.requests >= 133, 'both replicas pushed', 3000);
      const body = await read(origin);
      expect(body.source).toBe('redis');
      const minute = body.windows['1m']!;
      expect(minute.counts).toEqual({ ok: 120, client_error: 0, rate_limited: 2, server_error: 11, timeout: 0, connection: 0 });
      for (const [q, key] of [[0.5, 'p50'], [0.95, 'p95'], [0.99, 'p99']] as const) {
        const truth = exactQuantile(upstream.latencies, q);
        expect(withinTolerance(minute.latencyMs[key]!, truth), `${origin} ${key}: ${minute.latencyMs[key]} vs ${truth}`).toBe(true);
      }
    }

    await until(() => webhook.received.some((a) => a.type === 'slo_breached'), 'the breach alert', 5000);
    // Both replicas judge the same figures; only the lease holder sends.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(webhook.received.filter((a) => a.type === 'slo_breached')).toHaveLength(1);
    expect(webhook.received[0]).toMatchObject({ upstream: 'flaky', objective: 'availability', window: '1m' });
    const breachLines = logs.map((text) => text.split('\n').filter((l) => l.includes('"slo breached"')).length);
    expect(breachLines.sort()).toEqual([0, 1]);
  }, 40_000);
});
