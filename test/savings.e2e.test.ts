import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Serving } from '../src/server/index.ts';
import { openStorage } from '../src/storage/index.ts';
import { serveOnFakeUpstream, type ServedOnFakeUpstream } from './support/serve-on-fake-upstream.ts';
import { until } from './support/until.ts';
import { adminRequest } from './support/admin-request.ts';

/**
 * Savings end to end (docs/router.md): with `savings.baseline: openai/gpt-4o`, a request served by an
 * unpriced local model and one by a priced model each get a baseline cost in the ledger; the usage API
 * and /metrics report cost, baseline and savings.
 */
const ADMIN_KEY = 'moat-admin-test-key-savings-0123';
let serving: Serving;
let dir: string;
let served: ServedOnFakeUpstream;

beforeAll(async () => {
  served = await serveOnFakeUpstream('moat-savings-', (url) => `
providers:
  fake: { type: openai, baseUrl: ${url}, apiKeyEnv: FAKE_UPSTREAM_KEY }
  local: { type: openai-compatible, baseUrl: ${url}, apiKeyEnv: FAKE_UPSTREAM_KEY }
models:
  - { name: "fx-*", provider: fake, model: "fx-*" }
  - { name: "local-text", provider: local, model: fx-chat-text }
pricing:
  models:
    - { provider: fake, model: "fx-*", input: "1", output: "2" }
savings:
  baseline: { provider: openai, model: gpt-4o }
`, ADMIN_KEY);
  ({ serving, dir } = served);
});
afterAll(() => served.stop());

async function admin(path: string, body?: unknown) {
  return (await adminRequest(serving.url, ADMIN_KEY, body === undefined ? 'GET' : 'POST', path, body)).body;
}

describe('savings against a premium baseline', () => {
  it('records, sums and exports what the traffic would have cost on gpt-4o', async () => {
    await admin('/admin/tenants', { name: 'savers' });
    const created = await admin('/admin/keys', { tenant: 'savers', name: 'ci' });
    const tenantId = String((created.record as { tenantId: string }).tenantId);
    const client = new OpenAI({ baseURL: `${serving.url}/v1`, apiKey: String(created.key), maxRetries: 0 });
    const ids: string[] = [];
    for (const model of ['local-text', 'fx-chat-text']) {
      const { data, response } = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
      expect(data.usage).toMatchObject({ prompt_tokens: 31, completion_tokens: 23 });
      ids.push(response.headers.get('x-request-id')!);
    }
    // gpt-4o: 31 × $2.50 + 23 × $10 per MTok = 307.5 µUSD → 308. Priced fx: 31 × $1 + 23 × $2 = 77 µUSD. Local: unpriced, 0.
    const storage = openStorage({ path: join(dir, 'moat.db') });
    try {
      await until(async () => (await storage.ledger.get(ids[1]!)) !== undefined && (await storage.ledger.get(ids[0]!)) !== undefined);
      expect(await storage.ledger.get(ids[0]!)).toMatchObject({ provider: 'local', costMicros: 0n, baselineCostMicros: 308n });
      expect(await storage.ledger.get(ids[1]!)).toMatchObject({ provider: 'fake', costMicros: 77n, baselineCostMicros: 308n });
    } finally {
      await storage.close();
    }
    const usage = await admin(`/admin/usage?groupBy=tenant&tenant=${tenantId}`);
    expect(usage.data).toEqual([expect.objectContaining({ group: tenantId, requests: 2, costUsd: '0.000077', baselineCostUsd: '0.000616', savingsUsd: '0.000539' })]);
    const metrics = await (await fetch(`${serving.url}/metrics`)).text();
    expect(metrics).toContain(`moat_baseline_cost_usd_total{tenant="${tenantId}"} 0.000616`);
    expect(metrics).toContain(`moat_cost_usd_total{tenant="${tenantId}",provider="fake"} 0.000077`);
    expect(metrics).toContain(`moat_cost_usd_total{tenant="${tenantId}",provider="local"} 0`);
    expect(metrics).not.toContain('hi"');
  });
});
