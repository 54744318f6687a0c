import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exactQuantile as exact, SlaUpstream, WebhookReceiver, withinTolerance as within } from './support/sla-upstream.ts';
import { spawnGateway, stopGateways } from './support/spawn-gateway.ts';
import { until } from './support/until.ts';
import { adminRequest } from './support/admin-request.ts';

/**
 * The measured SLA end to end (issue 6, part 3): a fake upstream injects a known number of each failure
 * and known latencies and times to first token; requests go through the real gateway (its own process,
 * so its clock is not held up by this one's client and upstream) with the official `openai` client (no
 * SDK retries); `GET /admin/sla/:upstream` must show exactly the injected counts, and percentiles within
 * 10 % + 2 ms of the exact percentiles of what the upstream did (its delays as they happened: timers
 * fire late on a busy machine); the breach reaches a webhook receiver and the log, and the figures
 * reach `/metrics`.
 */
const CLIENT_KEY = 'sk-moat-sla-e2e-client-0123456789';
const ADMIN_KEY = 'moat-sla-e2e-admin-0123456789abcdef';
const READER_KEY = 'moat-sla-e2e-reader-0123456789abcdef';
const SECRET_PROMPT = 'prompt-marker-7f3a9c21-never-in-metrics';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const upstream = new SlaUpstream();
// The first delivery fails: the alert must be retried.
const webhook = new WebhookReceiver(1);
const alerts = webhook.received;
let dir: string;
const children: ChildProcess[] = [];
let origin: string;
let logText = '';
let client: OpenAI;

beforeAll(async () => {
  const [upstreamUrl, webhookUrl] = await Promise.all([upstream.start(), webhook.start()]);
  dir = mkdtempSync(join(tmpdir(), 'moat-sla-'));
  const file = join(dir, 'moat.yaml');
  writeFileSync(
    file,
    `
log: { level: info }
storage: { path: ${join(dir, 'moat.db')}, journalDir: ${join(dir, 'journal')} }
auth: { keys: [{ name: sla-client, key: ${CLIENT_KEY} }] }
admin:
  keys:
    - { name: ops, keyEnv: SLA_ADMIN_KEY, role: admin }
    - { name: dashboards, keyEnv: SLA_READER_KEY, role: read-only }
routing: { retry: { maxRetries: 0 }, breaker: { failureThreshold: 1000 } }
sla:
  evaluateMs: 200
  alerts: { webhookUrl: ${webhookUrl}/hooks/sla-secret-token, cooldownMs: 600000, backoffMs: 20 }
providers:
  flaky:
    type: openai-compatible
    baseUrl: ${upstreamUrl}/v1
    timeouts: { headersMs: 1500 }
    slo: { availability: 0.95, latencyP99Ms: 10000, windowMs: 60000, minRequests: 10 }
  dead:
    type: openai-compatible
    baseUrl: http://127.0.0.1:9/v1
  warm:
    type: openai-compatible
    baseUrl: ${upstreamUrl}/v1
models:
  - { name: "dead-*", provider: dead }
  - { name: "warm/*", provider: warm }
  - { name: "*", provider: flaky }
`,
  );
  origin = await spawnGateway(file, children, { SLA_ADMIN_KEY: ADMIN_KEY, SLA_READER_KEY: READER_KEY });
  children[0]!.stdout!.on('data', (chunk: Buffer) => (logText += chunk.toString()));
  client = new OpenAI({ baseURL: `${origin}/v1`, apiKey: CLIENT_KEY, maxRetries: 0, timeout: 10_000 });
  // A fresh process compiles its request path on the first requests: warm it through another provider,
  // so the figures under test are steady-state ones.
  for (let i = 0; i < 4; i++) {
    await Promise.all([
      client.chat.completions.create({ model: 'warm/ok-5', messages: [{ role: 'user', content: 'hi' }] }),
      (async () => {
        for await (const _chunk of await client.chat.completions.create({ model: 'warm/s-5-10', messages: [{ role: 'user', content: 'hi' }], stream: true }));
      })(),
    ]);
  }
  upstream.reset();
}, 30_000);

afterAll(async () => {
  await stopGateways(children);
  await Promise.all([upstream.stop(), webhook.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

const admin = (path: string, key = READER_KEY) => adminRequest(origin, key, 'GET', path);

describe('the SLA of an upstream with injected failures and latencies', () => {
  // Long enough that Moat's own share of a request's time (the figures are per request until the
  // fallback loop records each upstream attempt) stays well inside the tolerance on a busy machine.
  // Over 100 streams, so that p99 is not the largest sample: one request held up by a busy machine
  // (other tests, other processes) must not decide the test.
  const okLatencies = Array.from({ length: 60 }, (_, i) => 150 + ((i * 53) % 500));
  const streams = Array.from({ length: 110 }, (_, i) => ({ ttft: 200 + ((i * 29) % 400), total: 0 })).map((s) => ({ ...s, total: s.ttft + 60 }));
  const injected = { server_error: [...Array(12).fill('err-500'), ...Array(5).fill('err-503')], rate_limited: Array(3).fill('err-429'), client_error: Array(2).fill('err-400'), timeout: Array(2).fill('stall') };

  it('counts every injected failure exactly and measures latency and TTFT percentiles within 10 % + 2 ms', async () => {
    const jobs: (() => Promise<unknown>)[] = [];
    const messages = [{ role: 'user' as const, content: SECRET_PROMPT }];
    for (const ms of okLatencies) jobs.push(() => client.chat.completions.create({ model: `ok-${ms}`, messages }));
    for (const s of streams) {
      jobs.push(async () => {
        const stream = await client.chat.completions.create({ model: `s-${s.ttft}-${s.total}`, messages, stream: true });
        for await (const _chunk of stream);
      });
    }
    for (const model of Object.values(injected).flat()) jobs.push(() => client.chat.completions.create({ model, messages }).then(() => expect.fail(`${model} succeeded`), () => {}));
    for (let i = 0; i < 2; i++) jobs.push(() => client.chat.completions.create({ model: 'dead-x', messages }).then(() => expect.fail('dead succeeded'), () => {}));
    // Interleaved, twelve at a time.
    const order = jobs.map((job, i) => ({ job, key: (i * 7919) % jobs.length })).sort((a, b) => a.key - b.key);
    await Promise.all(Array.from({ length: 12 }, async () => {
      for (let next = order.shift(); next; next = order.shift()) await next.job();
    }));

    const flaky = await admin('/admin/sla/flaky');
    expect(flaky.status).toBe(200);
    const body = flaky.body as { upstream: string; source: string; windows: Record<string, { counts: Record<string, number>; requests: number; availability: number; latencyMs: Record<string, number>; ttftMs: Record<string, number> }>; slo: { objectives: { objective: string; status: string }[] } };
    expect(body.source).toBe('local');
    const minute = body.windows['1m']!;
    expect(minute.counts).toEqual({ ok: 170, client_error: 2, rate_limited: 3, server_error: 17, timeout: 2, connection: 0 });
    expect(minute.availability).toBeCloseTo(170 / (170 + 3 + 17 + 2), 5);
    expect(upstream.latencies).toHaveLength(170);
    const okTruth = upstream.latencies;
    const ttftTruth = upstream.ttfts;
    for (const [q, key] of [[0.5, 'p50'], [0.95, 'p95'], [0.99, 'p99']] as const) {
      expect(within(minute.latencyMs[key]!, exact(okTruth, q)), `latency ${key}: ${minute.latencyMs[key]} vs ${exact(okTruth, q)}`).toBe(true);
      expect(within(minute.ttftMs[key]!, exact(ttftTruth, q)), `ttft ${key}: ${minute.ttftMs[key]} vs ${exact(ttftTruth, q)}`).toBe(true);
    }
    expect(minute.ttftMs.samples).toBe(110);
    expect(body.slo.objectives).toEqual([
      expect.objectContaining({ objective: 'availability', status: 'breached' }),
      expect.objectContaining({ objective: 'latencyP99Ms', status: 'met' }),
    ]);

    const all = await admin('/admin/sla');
    const dead = (all.body.data as { upstream: string; windows: Record<string, { counts: Record<string, number> }> }[]).find((u) => u.upstream === 'dead')!;
    expect(dead.windows['5m']!.counts).toEqual({ ok: 0, client_error: 0, rate_limited: 0, server_error: 0, timeout: 0, connection: 2 });
   }, 30_000);

  it('posts the breach to the webhook (after one failed delivery) and logs it once', async () => {
    await until(() => alerts.some((a) => a.type === 'slo_breached'), 'the breach alert', 5000);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ type: 'slo_breached', upstream: 'flaky', objective: 'availability', target: 0.95, window: '1m', windowMs: 60_000 });
    // Judged while the requests were still arriving: below the target, whatever the share then.
    expect(alerts[0]!.observed).toBeLessThan(0.95);
    const lines = logText.split('\n').filter((l) => l.includes('"slo breached"')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, upstream: 'flaky', objective: 'availability', window: '1m' });
    await sleep(600);
    expect(alerts).toHaveLength(1); // the cooldown holds further alerts back
    expect(logText).not.toContain('sla-secret-token');
    expect(logText).not.toContain(SECRET_PROMPT);
  });

  it('exposes the figures as Prometheus gauges, without request content', async () => {
    const text = await (await fetch(`${origin}/metrics`)).text();
    expect(text).toContain('moat_sla_requests{upstream="flaky",window="1m",class="server_error"} 17');
    expect(text).toContain('moat_sla_requests{upstream="flaky",window="1m",class="ok"} 170');
    expect(text).toMatch(/moat_sla_latency_seconds\{upstream="flaky",window="1m",quantile="0\.95"\} 0\.\d+/);
    expect(text).toContain('moat_sla_slo_breached{upstream="flaky",objective="availability"} 1');
    expect(text).not.toContain(SECRET_PROMPT);
    expect(text).not.toContain(CLIENT_KEY);
  });

  it('answers 404 for an unknown upstream, and needs an admin key', async () => {
    const missing = await admin('/admin/sla/nobody');
    expect(missing.status).toBe(404);
    expect(JSON.stringify(missing.body)).toContain('sla_upstream_not_found');
    expect((await fetch(`${origin}/admin/sla`)).status).toBe(401);
    expect((await admin('/admin/sla?window=5m', ADMIN_KEY)).status).toBe(200);
  });
});
