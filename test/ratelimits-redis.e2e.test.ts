import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { spawnGateway } from './support/spawn-gateway.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../src/config/index.ts';
import { CLIENT_KEY, startTestGateway, TEST_ENV, testConfigYaml, type TestGateway } from './support/start-gateway.ts';
import { freePort, startPrivateRedis } from './support/private-redis.ts';

/**
 * Rate limits in Redis (issue 5): three gateway processes share one requests-per-minute limit through
 * the machine's Redis, and a Redis of the test's own is killed in the middle of traffic to check that
 * each outage policy is followed and no request hangs. Every run uses its own key prefix.
 */
const SHARED_REDIS = process.env.MOAT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const KEY = 'sk-moat-ratelimit-test-0123456789';
const prefix = `moat-test:${randomBytes(6).toString('hex')}:`;

/** An OpenAI-shaped upstream that answers every chat request at once. */
async function startUpstream(): Promise<{ url: string; calls: () => number; close: () => Promise<void> }> {
  let calls = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      calls++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: `chatcmpl-${calls}`,
          object: 'chat.completion',
          created: 1,
          model: 'm',
          choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    calls: () => calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function chat(origin: string, model = 'm') {
  const started = performance.now();
  const response = await fetch(`${origin}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
    // A hung request fails the test instead of stalling it.
    signal: AbortSignal.timeout(5000),
  });
  const body = (await response.json()) as { error?: { code: string; moat_code: string; type: string } };
  return {
    status: response.status,
    ms: performance.now() - started,
    body,
    retryAfter: response.headers.get('retry-after'),
    remaining: response.headers.get('x-ratelimit-remaining-requests'),
  };
}

describe('three gateway processes sharing one limit through Redis', () => {
  let upstream: Awaited<ReturnType<typeof startUpstream>>;
  let dir: string;
  const children: ChildProcess[] = [];
  const origins: string[] = [];

  const startGateway = (file: string): Promise<string> => spawnGateway(file, children, { UP_KEY: 'sk-up' });

  beforeAll(async () => {
    upstream = await startUpstream();
    dir = mkdtempSync(join(tmpdir(), 'moat-ratelimits-'));
    const file = join(dir, 'moat.yaml');
    writeFileSync(
      file,
      `log: { level: info }
storage: { enabled: false }
auth: { keys: [{ name: load, key: ${KEY} }] }
providers:
  up: { type: openai-compatible, baseUrl: ${upstream.url}, apiKeyEnv: UP_KEY }
models:
  - { name: m, provider: up }
rateLimits:
  rules:
    - { per: key, requestsPerMinute: 30 }
  redis: { url: "${SHARED_REDIS}", keyPrefix: "${prefix}" }
`,
    );
    origins.push(...(await Promise.all([0, 1, 2].map(() => startGateway(file)))));
  }, 60_000);

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await upstream?.close();
    rmSync(dir, { recursive: true, force: true });
    const redis = new Redis(SHARED_REDIS);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('admits the limit and no more than its refill while the burst lasts (GCRA: 1 per 2 s at 30/min)', async () => {
    const started = performance.now();
    const outcomes = await Promise.all(Array.from({ length: 90 }, (_, i) => chat(origins[i % 3]!)));
    const elapsed = performance.now() - started;
    const ok = outcomes.filter((o) => o.status === 200).length;
    const refused = outcomes.filter((o) => o.status === 429);
    expect(ok + refused.length).toBe(90);
    expect(ok).toBeGreaterThanOrEqual(30);
    // The documented margin: nothing beyond what refilled during the burst.
    expect(ok).toBeLessThanOrEqual(30 + Math.floor(elapsed / 2000));
    expect(upstream.calls()).toBe(ok);
    for (const o of refused) {
      expect(o.body.error).toMatchObject({ code: 'rate_limit_exceeded', type: 'requests' });
      expect(Number(o.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(o.remaining).toBe('0');
    }
  }, 30_000);
});

describe('Redis stopped in the middle of traffic', () => {
  let port: number;
  let redis: ChildProcess;
  let open: TestGateway;
  let closed: TestGateway;

  const gatewayFor = (policy: 'failOpen' | 'failClosed') =>
    startTestGateway({
      config: (u, a) =>
        parseConfigText(
          testConfigYaml(u, a).replace(CLIENT_KEY, KEY) +
            `rateLimits:
  rules: [{ per: key, requestsPerMinute: 20 }]
  redis: { url: "redis://127.0.0.1:${port}", keyPrefix: "${prefix}outage:", commandTimeoutMs: 200, onOutage: ${policy} }
`,
          'test',
          TEST_ENV,
        ),
    });

  beforeAll(async () => {
    port = await freePort();
    redis = await startPrivateRedis(port);
    [open, closed] = await Promise.all([gatewayFor('failOpen'), gatewayFor('failClosed')]);
  }, 30_000);

  afterAll(async () => {
    redis?.kill('SIGKILL');
    await Promise.all([open?.close(), closed?.close()]);
  });

  it('follows each policy, logs and counts the outage, hangs nothing, and recovers', async () => {
    // Both gateways count on the one Redis counter.
    expect((await chat(open.origin, 'fx-chat-text')).remaining).toBe('19');
    expect((await chat(closed.origin, 'fx-chat-text')).remaining).toBe('18');

    // Traffic on both gateways, with Redis killed in the middle of it.
    const wave: Array<Promise<Awaited<ReturnType<typeof chat>> & { policy: string }>> = [];
    for (let i = 0; i < 30; i++) {
      if (i === 10) redis.kill('SIGKILL');
      const [gateway, policy] = i % 2 === 0 ? [open, 'failOpen'] : [closed, 'failClosed'];
      wave.push(chat(gateway.origin, 'fx-chat-text').then((o) => ({ ...o, policy })));
      await new Promise((r) => setTimeout(r, 10));
    }
    const outcomes = await Promise.all(wave);
    for (const o of outcomes) {
      expect(o.policy === 'failOpen' ? [200, 429] : [200, 429, 503], JSON.stringify(o)).toContain(o.status);
      expect(o.ms, 'no request waits on a dead Redis').toBeLessThan(2000);
    }

    // Redis is gone: failOpen counts in this process (a fresh counter), failClosed refuses with 503.
    const opened = await chat(open.origin, 'fx-chat-text');
    expect(opened.status).toBe(200);
    const refused = await chat(closed.origin, 'fx-chat-text');
    expect(refused.status).toBe(503);
    expect(refused.retryAfter).toBe('1');
    expect(refused.body.error).toMatchObject({ code: 'rate_limiter_unavailable', type: 'api_error' });
    expect(refused.ms).toBeLessThan(1000);

    expect(open.logs()).toContain('rate-limit store (Redis) unavailable: failing open');
    expect(closed.logs()).toContain('rate-limit store (Redis) unavailable: failing closed');
    const openMetrics = await (await fetch(`${open.origin}/metrics`)).text();
    expect(openMetrics).toMatch(/moat_ratelimit_store_failures_total\{policy="failOpen"\} [1-9]/);
    expect(openMetrics).toMatch(/moat_ratelimit_store_up 0/);
    const closedMetrics = await (await fetch(`${closed.origin}/metrics`)).text();
    expect(closedMetrics).toMatch(/moat_ratelimit_store_failures_total\{policy="failClosed"\} [1-9]/);

    // Redis comes back on the same port: the failClosed gateway answers again once it reconnects.
    redis = await startPrivateRedis(port);
    const deadline = Date.now() + 10_000;
    let status = 503;
    while (status === 503 && Date.now() < deadline) {
      status = (await chat(closed.origin, 'fx-chat-text')).status;
      if (status === 503) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(200);
    expect(closed.logs()).toContain('rate-limit store (Redis) answers again');
    expect(await (await fetch(`${closed.origin}/metrics`)).text()).toMatch(/moat_ratelimit_store_up 1/);
  }, 30_000);

  it('does not wait on a Redis that hangs: the command timeout applies, then Redis is skipped for a moment', async () => {
    redis.kill('SIGSTOP');
    try {
      for (let i = 0; i < 6; i++) {
        const o = await chat(open.origin, 'fx-chat-text');
        expect(o.status).toBe(200);
        // commandTimeoutMs is 200: no request waits much longer than that.
        expect(o.ms).toBeLessThan(1000);
      }
      expect((await chat(closed.origin, 'fx-chat-text')).status).toBe(503);
    } finally {
      redis.kill('SIGCONT');
    }
  }, 30_000);
});
