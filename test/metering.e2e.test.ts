import { request } from 'node:http';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Serving } from '../src/server/index.ts';
import { openStorage } from '../src/storage/index.ts';
import { serveOnFakeUpstream, type ServedOnFakeUpstream } from './support/serve-on-fake-upstream.ts';
import { until } from './support/until.ts';
import { adminRequest } from './support/admin-request.ts';

/**
 * Moat as `moat serve` runs it: embedded database, keys created through the admin API, every model
 * request metered into the ledger and priced (`x-moat-cost`).
 */
const ADMIN_KEY = 'moat-admin-test-key-0123456789';
let serving: Serving;
let dir: string;
let served: ServedOnFakeUpstream;

const admin = (method: string, path: string, body?: unknown, key = ADMIN_KEY) => adminRequest(serving.url, key, method, path, body);

beforeAll(async () => {
  served = await serveOnFakeUpstream('moat-metering-', (url) => `
providers:
  fake: { type: openai, baseUrl: ${url}, apiKeyEnv: FAKE_UPSTREAM_KEY }
models:
  - { name: "fx-*", provider: fake, model: "fx-*" }
pricing:
  models:
    - { provider: fake, model: "fx-*", input: "2.50", output: "10", cachedInput: "1.25" }
`, ADMIN_KEY);
  ({ serving, dir } = served);
});
afterAll(() => served.stop());

describe('keys from the admin API, metering into the ledger', () => {
  let key = '';
  let keyId = '';
  const requestIds: string[] = [];

  it('creates a tenant and a key; the admin API refuses what it must', async () => {
    expect((await admin('POST', '/admin/tenants', { name: 'acme' })).status).toBe(201);
    const created = await admin('POST', '/admin/keys', { tenant: 'acme', name: 'ci' });
    expect(created.status).toBe(201);
    key = String(created.body.key);
    keyId = String((created.body.record as { id: string }).id);
    expect(key).toMatch(/^moat_sk_/);
    expect((await admin('POST', '/admin/keys', { tenant: 'acme' })).status).toBe(400);
    expect((await admin('GET', '/admin/keys', undefined, 'wrong-admin-key-000000')).status).toBe(401);
    const listed = await admin('GET', '/admin/keys?tenant=acme');
    expect(JSON.stringify(listed.body)).not.toContain(key);
  });

  it('requires a key once one exists, and meters each request with its cost', async () => {
    await until(async () => (await fetch(`${serving.url}/v1/models`)).status === 401);
    const client = new OpenAI({ baseURL: `${serving.url}/v1`, apiKey: key, maxRetries: 0 });
    const { data, response } = await client.chat.completions
      .create({ model: 'fx-chat-text', messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    // 31 input tokens at $2.50/MTok + 23 output tokens at $10/MTok = 307.5 µUSD, rounded half up.
    expect(data.usage).toMatchObject({ prompt_tokens: 31, completion_tokens: 23 });
    expect(response.headers.get('x-moat-cost')).toBe('0.000308');
    requestIds.push(response.headers.get('x-request-id')!);

    // A stream carries its cost as a trailer, known only at the end.
    const trailers = await new Promise<NodeJS.Dict<string>>((resolve, reject) => {
      const req = request(`${serving.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}` } }, (res) => {
        requestIds.push(String(res.headers['x-request-id']));
        res.resume();
        res.on('end', () => resolve(res.trailers));
        res.on('error', reject);
      });
      req.end(JSON.stringify({ model: 'fx-chat-reasoning', messages: [{ role: 'user', content: 'x' }], stream: true, stream_options: { include_usage: true } }));
    });
    // 27 input tokens at $2.50 + 1,216 output tokens (1,152 of them reasoning, billed as output) at $10 = 12,227.5 µUSD.
    expect(trailers['x-moat-cost']).toBe('0.012228');
  });

  it('a revoked key stops working within the refresh interval', async () => {
    expect((await admin('POST', `/admin/keys/${keyId}/revoke`)).status).toBe(200);
    const client = new OpenAI({ baseURL: `${serving.url}/v1`, apiKey: key, maxRetries: 0 });
    await until(async () => {
      const error = await client.models.list().catch((e: unknown) => e);
      return error instanceof OpenAI.AuthenticationError;
    });
  });

  it('every metered request has exactly one ledger row with tokens, cost, key and tenant', async () => {
    // Rows reach the database from the ledger writer's timer; a second connection reads them.
    const storage = await openStorage({ path: join(dir, 'moat.db') });
    try {
      await until(async () => (await storage.ledger.get(requestIds[1]!)) !== undefined);
      const plain = await storage.ledger.get(requestIds[0]!);
      expect(plain).toMatchObject({ keyId, servedModel: 'fx-chat-text', provider: 'fake', inputTokens: 31, outputTokens: 23, costMicros: 308n, status: 200, usageSource: 'upstream' });
      const streamed = await storage.ledger.get(requestIds[1]!);
      expect(streamed).toMatchObject({ keyId, reasoningTokens: 1152, outputTokens: 1216, costMicros: 12228n });
      expect(plain!.tenantId).toBe(streamed!.tenantId);
    } finally {
      await storage.close();
    }
  });

  it('the usage API sums spend by model, in JSON and CSV', async () => {
    const byModel = await admin('GET', '/admin/usage?groupBy=model');
    expect(byModel.status).toBe(200);
    const rows = byModel.body.data as Array<{ group: string; requests: number; outputTokens: number; costMicros: string; costUsd: string }>;
    expect(rows.find((r) => r.group === 'fx-chat-text')).toMatchObject({ requests: 1, outputTokens: 23, costMicros: '308', costUsd: '0.000308' });
    expect(rows.find((r) => r.group === 'fx-chat-reasoning')).toMatchObject({ requests: 1, costUsd: '0.012228' });
    const csv = await fetch(`${serving.url}/admin/usage?groupBy=model&format=csv`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\n');
    expect(lines[0]).toBe('group,requests,input_tokens,cached_input_tokens,cache_write_tokens,output_tokens,reasoning_tokens,cost_usd,baseline_cost_usd,savings_usd');
    // No `savings.baseline` here: the baseline and savings columns are empty.
    expect(lines).toContain('fx-chat-text,1,31,0,0,23,0,0.000308,,');
    expect((await admin('GET', '/admin/usage?groupBy=colour')).status).toBe(400);
  });
});
