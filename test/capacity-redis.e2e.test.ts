import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnGateway } from './support/spawn-gateway.ts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../src/config/index.ts';
import { Gateway } from '../src/server/index.ts';
import { createLogger } from '../src/telemetry/index.ts';
import { HoldingUpstream } from './support/holding-upstream.ts';
import { until } from './support/until.ts';
import { freePort, startPrivateRedis } from './support/private-redis.ts';

/**
 * Capacity slots shared through Redis (docs/capacity.md): three gateway processes, one upstream with
 * maxInFlight slots, counted at the upstream; then Redis stopped under a gateway, once per onOutage
 * policy, on a redis-server of the test's own.
 */
const REDIS_URL = process.env.MOAT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function configYaml(upstreamUrl: string, redis: string, maxInFlight: number): string {
  return `
log: { level: info }
storage: { enabled: false }
timeouts: { headersMs: 30000, idleMs: 30000, keepAliveMs: 20000 }
capacity:
  redis: ${redis}
providers:
  gpu:
    type: openai-compatible
    baseUrl: ${upstreamUrl}
    capacity: { maxInFlight: ${maxInFlight}, queue: { maxQueued: 500, timeoutMs: 60000 } }
models:
  - { name: "gpu-model", provider: gpu }
`;
}

async function chat(origin: string, label: string): Promise<{ status: number; code: string | undefined }> {
  const response = await fetch(`${origin}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpu-model', messages: [{ role: 'user', content: label }] }),
  });
  const body = (await response.json()) as { error?: { code?: string } };
  return { status: response.status, code: body.error?.code };
}

describe('capacity across three gateway processes sharing one slot pool in Redis', () => {
  const upstream = new HoldingUpstream();
  const children: ChildProcess[] = [];
  const origins: string[] = [];
  let dir: string;

  const startGateway = (file: string): Promise<string> => spawnGateway(file, children);

  beforeAll(async () => {
    const url = await upstream.start();
    upstream.autoAnswerMs = 15;
    dir = mkdtempSync(join(tmpdir(), 'moat-capacity-'));
    const redis = `{ url: "${REDIS_URL}", keyPrefix: "moat-test-${randomBytes(6).toString('hex')}:", pollMs: 50 }`;
    for (let i = 0; i < 3; i++) {
      const file = join(dir, `moat-${i}.yaml`);
      writeFileSync(file, configYaml(url, redis, 3));
      origins.push(await startGateway(file));
    }
  }, 60_000);

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await upstream.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('never has more than maxInFlight requests at the upstream across all processes, and serves them all', async () => {
    const answers = await Promise.all(Array.from({ length: 150 }, (_, i) => chat(origins[i % 3]!, `r${i}`)));
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    expect(upstream.arrivals).toHaveLength(150);
    expect(upstream.maxInFlight).toBeLessThanOrEqual(3);
    expect(upstream.maxInFlight).toBe(3);
  }, 60_000);
});

describe('capacity when Redis stops in the middle', () => {
  let redis: ChildProcess | null = null;
  let port = 0;
  let upstream: HoldingUpstream;
  let gateway: Gateway | null = null;

  async function startRedis(): Promise<void> {
    port = await freePort();
    redis = await startPrivateRedis(port);
  }

  async function startGateway(onOutage: 'failOpen' | 'failClosed'): Promise<string> {
    upstream = new HoldingUpstream();
    const url = await upstream.start();
    const config = parseConfigText(configYaml(url, `{ url: "redis://127.0.0.1:${port}", onOutage: ${onOutage}, pollMs: 50, commandTimeoutMs: 300 }`, 1).replace('level: info', 'level: silent'), 'test', {});
    gateway = new Gateway({ config, logger: createLogger('silent') });
    return (await gateway.listen(0, '127.0.0.1')).url;
  }

  afterEach(async () => {
    upstream?.releaseAll();
    await gateway?.shutdown(500);
    await upstream?.stop();
    redis?.kill('SIGKILL');
    gateway = null;
    redis = null;
  });

  it('onOutage failClosed: the request waiting and every new one get 503 capacity_unavailable at once; none hangs', async () => {
    await startRedis();
    const origin = await startGateway('failClosed');
    const holder = chat(origin, 'holder');
    await upstream.waitForHeld(1);
    const waiting = chat(origin, 'waiting');
    await until(() => gateway!.capacity.gate('gpu')!.waiting === 1, 'a request to queue');
    redis!.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    const refused = await chat(origin, 'new');
    expect(refused).toEqual({ status: 503, code: 'capacity_unavailable' });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await waiting).toEqual({ status: 503, code: 'capacity_unavailable' });
    upstream.release();
    expect((await holder).status).toBe(200);
    expect(upstream.arrivals).toEqual(['holder']);
    expect(await gateway!.metrics.registry.metrics()).toMatch(/moat_capacity_redis_errors_total\{policy="failClosed"\} [1-9]/);
  });

  it('onOutage failOpen: slots are counted in the process; the waiting request is served when the slot frees, never two at once', async () => {
    await startRedis();
    const origin = await startGateway('failOpen');
    const holder = chat(origin, 'holder');
    await upstream.waitForHeld(1);
    const waiting = chat(origin, 'waiting');
    await until(() => gateway!.capacity.gate('gpu')!.waiting === 1, 'a request to queue');
    redis!.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    expect(upstream.inFlight).toBe(1);
    upstream.release();
    await upstream.waitForHeld(1);
    expect(upstream.held[0]!.label).toBe('waiting');
    const later = chat(origin, 'later');
    await until(() => gateway!.capacity.gate('gpu')!.waiting === 1, 'the later request to queue');
    upstream.releaseAll();
    expect([(await holder).status, (await waiting).status, (await later).status]).toEqual([200, 200, 200]);
    expect(upstream.maxInFlight).toBe(1);
  });
});
