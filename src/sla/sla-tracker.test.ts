import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema, type MoatConfig } from '../config/index.ts';
import { createLogger } from '../telemetry/index.ts';
import { classOfErrorCode, OUTCOME_CLASSES } from './outcome-class.ts';
import { SlaTracker } from './sla-tracker.ts';

function captureLogger(): { logger: ReturnType<typeof createLogger>; lines: () => Record<string, unknown>[] } {
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { logger: createLogger('info', sink), lines: () => text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const config = (webhookUrl?: string): MoatConfig =>
  configSchema.parse({
    sla: { sliceMs: 1000, windowsMs: [10_000, 60_000], alerts: { ...(webhookUrl ? { webhookUrl } : {}), cooldownMs: 60_000, backoffMs: 1 } },
    providers: { up: { type: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', slo: { availability: 0.9, latencyP95Ms: 500, windowMs: 10_000, minRequests: 5 } } },
  });

let server: Server | null = null;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

describe('SlaTracker (in process)', () => {
  it('classifies Moat error codes, and leaves out those the upstream never caused', () => {
    const classes = ['upstream_bad_request', 'upstream_not_found', 'upstream_auth_failed', 'upstream_rate_limited', 'upstream_error', 'upstream_overloaded', 'upstream_invalid_response', 'upstream_timeout', 'upstream_idle_timeout', 'upstream_unreachable', 'rate_limit_exceeded', 'capacity_queue_full', 'insufficient_quota'].map(classOfErrorCode);
    expect(classes).toEqual(['client_error', 'client_error', 'client_error', 'rate_limited', 'server_error', 'server_error', 'server_error', 'timeout', 'timeout', 'connection', null, null, null]);
  });

  it('reports every class, the SLO verdicts, and nothing for an unknown upstream', async () => {
    let now = 1_000_000;
    const { logger } = captureLogger();
    const cfg = config();
    const tracker = new SlaTracker({ settings: cfg.sla, logger, config: () => cfg, clock: () => now });
    for (const outcome of OUTCOME_CLASSES) tracker.record('up', { at: now, outcome, latencyMs: 40, ttftMs: 12 });
    now += 10;
    const { upstream } = await tracker.upstreamReport('up');
    expect(upstream!.windows['10s']!.counts).toEqual({ ok: 1, client_error: 1, rate_limited: 1, server_error: 1, timeout: 1, connection: 1 });
    expect(upstream!.windows['10s']!.ttftMs.samples).toBe(1);
    expect(upstream!.slo!.objectives.map((o) => o.status)).toEqual(['breached', 'no_data']); // one success: too few for a latency verdict
    expect((await tracker.upstreamReport('nobody')).upstream).toBeNull();
    await tracker.close();
  });

  it('logs and posts a breach once, then its recovery', async () => {
    const bodies: Record<string, unknown>[] = [];
    server = createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        bodies.push(JSON.parse(text) as Record<string, unknown>);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const cfg = config(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`);
    let now = 5_000_000;
    const { logger, lines } = captureLogger();
    const tracker = new SlaTracker({ settings: cfg.sla, logger, config: () => cfg, clock: () => now });
    for (let i = 0; i < 10; i++) tracker.record('up', { at: now, outcome: i < 5 ? 'server_error' : 'ok', latencyMs: 100, ttftMs: null });
    expect((await tracker.evaluate()).map((a) => a.kind)).toEqual(['slo_breached']);
    now += 1000;
    expect(await tracker.evaluate()).toEqual([]);
    now += 11_000; // the bad slice has left the 10 s window
    for (let i = 0; i < 10; i++) tracker.record('up', { at: now, outcome: 'ok', latencyMs: 100, ttftMs: null });
    expect((await tracker.evaluate()).map((a) => a.kind)).toEqual(['slo_recovered']);
    await tracker.close();
    expect(bodies.map((b) => [b.type, b.upstream, b.objective, b.window])).toEqual([
      ['slo_breached', 'up', 'availability', '10s'],
      ['slo_recovered', 'up', 'availability', '10s'],
    ]);
    expect(bodies[0]).toMatchObject({ target: 0.9, observed: 0.5, windowMs: 10_000 });
    const breach = lines().find((l) => l.msg === 'slo breached');
    expect(breach).toMatchObject({ level: 40, upstream: 'up', objective: 'availability', observed: 0.5, window: '10s' });
    expect(tracker.latest!.upstreams[0]!.upstream).toBe('up');
  });
});
