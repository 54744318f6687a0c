import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../config/index.ts';
import { hashApiKey } from '../keys/hash-api-key.ts';
import { SlaTracker } from '../sla/index.ts';
import type { AdminStores } from './admin-context.ts';
import { handleAdminRequest } from './handle-admin-request.ts';
import { createLogger } from '../telemetry/index.ts';

const READER = 'reader-secret-sla';
const adminKeys = [{ name: 'dashboards', keyHash: hashApiKey(READER), role: 'read-only' as const }];
// The SLA routes never touch the database.
const stores = {} as AdminStores;
const config = configSchema.parse({
  sla: { windowsMs: [60_000, 300_000] },
  providers: { quiet: { type: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', slo: { availability: 0.99 } } },
});

async function get(url: string, sla: SlaTracker | null) {
  const response = await handleAdminRequest({ stores, adminKeys, sla }, { method: 'GET', url, headers: { authorization: `Bearer ${READER}` }, requestId: 'req_sla' });
  return { status: response.status, body: JSON.parse(response.body) as Record<string, unknown> };
}

describe('GET /admin/sla', () => {
  const logger = createLogger('silent', new Writable({ write: (_c, _e, done) => done() }));
  const tracker = new SlaTracker({ settings: config.sla, logger, config: () => config });
  tracker.record('busy', { at: Date.now(), outcome: 'ok', latencyMs: 120, ttftMs: null });
  tracker.record('busy', { at: Date.now(), outcome: 'timeout', latencyMs: 600_000, ttftMs: null });

  it('lists upstreams with samples or an SLO, with every window, to a read-only key', async () => {
    const { status, body } = await get('/admin/sla', tracker);
    expect(status).toBe(200);
    expect(body).toMatchObject({ source: 'local', sliceMs: 10_000 });
    const data = body.data as { upstream: string; windows: Record<string, { counts: Record<string, number>; latencyMs: { p50: number } }>; slo: unknown }[];
    expect(data.map((u) => u.upstream)).toEqual(['busy', 'quiet']);
    expect(Object.keys(data[0]!.windows)).toEqual(['1m', '5m']);
    expect(data[0]!.windows['1m']!.counts).toMatchObject({ ok: 1, timeout: 1 });
    expect(Math.abs(data[0]!.windows['1m']!.latencyMs.p50 - 120)).toBeLessThan(3);
    expect(data[0]!.slo).toBeNull();
    expect(data[1]!.slo).toMatchObject({ window: '5m', objectives: [{ objective: 'availability', status: 'no_data', observed: null }] });
  });

  it('one upstream, one window; 404 for an unknown one; 503 when the SLA is off', async () => {
    const one = await get('/admin/sla/busy?window=1m', tracker);
    expect(one.status).toBe(200);
    expect(one.body.upstream).toBe('busy');
    expect(Object.keys(one.body.windows as object)).toEqual(['1m']);
    const missing = await get('/admin/sla/nobody', tracker);
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'sla_upstream_not_found', param: 'upstream' });
    const bad = await get('/admin/sla?bogus=1', tracker);
    expect(bad.status).toBe(400);
    const off = await get('/admin/sla', null);
    expect(off.status).toBe(503);
    expect(off.body.error).toMatchObject({ code: 'sla_disabled' });
  });
});
