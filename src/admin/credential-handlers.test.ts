import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCredential } from '../credentials/seal-credential.ts';
import type { MasterKeyring } from '../credentials/master-key.ts';
import { hashApiKey } from '../keys/hash-api-key.ts';
import { openStorage } from '../storage/index.ts';
import type { Storage } from '../storage/index.ts';
import type { AdminKey } from './admin-auth.ts';
import { handleAdminRequest } from './handle-admin-request.ts';

const ADMIN = 'admin-secret';
const READER = 'reader-secret';
const adminKeys: AdminKey[] = [
  { name: 'ops', keyHash: hashApiKey(ADMIN), role: 'admin' },
  { name: 'dashboards', keyHash: hashApiKey(READER), role: 'read-only' },
];
const masterKeys: MasterKeyring = { currentVersion: 3, keys: new Map([[3, randomBytes(32)]]) };
const clock = { now: Date.UTC(2030, 0, 1) };
const SECRET = 'sk-proj-credential-under-test-0123456789';

let storage: Storage;
beforeAll(async () => {
  storage = openStorage({ path: ':memory:', clock: () => clock.now });
  await storage.migrate();
});
afterAll(() => storage.close());

async function call(method: string, url: string, body?: unknown, options: { key?: string; keys?: MasterKeyring | null } = {}) {
  const raw = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const response = await handleAdminRequest(
    { stores: storage, adminKeys, clock: () => clock.now, masterKeys: options.keys === undefined ? masterKeys : options.keys },
    { method, url, headers: { authorization: `Bearer ${options.key ?? ADMIN}` }, body: raw, requestId: 'req_1' },
  );
  expect(response.body).not.toContain(SECRET);
  return { status: response.status, body: JSON.parse(response.body) };
}

describe('admin API: provider credentials', () => {
  it('PUT stores the value encrypted (201), shows no value or ciphertext, and replaces it (200, createdAt kept)', async () => {
    const created = await call('PUT', '/admin/credentials/openai-prod', { value: SECRET });
    expect(created).toEqual({ status: 201, body: { name: 'openai-prod', keyVersion: 3, createdAt: '2030-01-01T00:00:00.000Z', updatedAt: '2030-01-01T00:00:00.000Z' } });
    const row = (await storage.credentials.get('openai-prod'))!;
    expect(JSON.stringify(row)).not.toContain(SECRET);
    expect(openCredential(row, masterKeys)).toBe(SECRET);

    clock.now += 60_000;
    const replaced = await call('PUT', '/admin/credentials/openai-prod', { value: 'sk-second-value' });
    expect(replaced).toEqual({ status: 200, body: { ...created.body, updatedAt: '2030-01-01T00:01:00.000Z' } });
    expect(openCredential((await storage.credentials.get('openai-prod'))!, masterKeys)).toBe('sk-second-value');
  });

  it('GET lists names, key versions and dates only, to a read-only key', async () => {
    await call('PUT', '/admin/credentials/anthropic', { value: SECRET });
    const { status, body } = await call('GET', '/admin/credentials', undefined, { key: READER });
    expect(status).toBe(200);
    expect(body.object).toBe('list');
    expect(body.data.map((c: { name: string }) => c.name)).toEqual(['anthropic', 'openai-prod']);
    for (const item of body.data) expect(Object.keys(item).sort()).toEqual(['createdAt', 'keyVersion', 'name', 'updatedAt']);
  });

  it('400 with every field at fault: the name, a missing, empty or header-breaking value, unknown fields', async () => {
    const bad = await call('PUT', '/admin/credentials/bad%20name', { value: 'has space', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_request');
    expect(bad.body.error.fields.map((f: { param: string }) => f.param).sort()).toEqual(['body', 'name', 'value']);
    for (const body of [undefined, {}, { value: '' }, { value: 'sk-line\nbreak' }, { value: 7 }, { value: 'x'.repeat(8193) }]) {
      const { status, body: error } = await call('PUT', '/admin/credentials/ok', body);
      expect(status, JSON.stringify(body)).toBe(400);
      expect(error.error.fields.length).toBeGreaterThan(0);
    }
    expect((await call('PUT', '/admin/credentials/ok', '{nope')).body.error.code).toBe('invalid_json');
    expect(await storage.credentials.get('ok')).toBeUndefined();
  });

  it('503 master_key_not_configured when no master key is set, storing nothing', async () => {
    const { status, body } = await call('PUT', '/admin/credentials/unkeyed', { value: SECRET }, { keys: null });
    expect(status).toBe(503);
    expect(body.error).toMatchObject({ code: 'master_key_not_configured', type: 'api_error' });
    expect(body.error.message).toContain('MOAT_MASTER_KEY');
    expect(await storage.credentials.get('unkeyed')).toBeUndefined();
    // Listing and deleting need no key.
    expect((await call('GET', '/admin/credentials', undefined, { keys: null })).status).toBe(200);
  });

  it('DELETE removes a credential; 404 credential_not_found when absent', async () => {
    await call('PUT', '/admin/credentials/doomed', { value: SECRET });
    expect(await call('DELETE', '/admin/credentials/doomed')).toEqual({ status: 200, body: { name: 'doomed', deleted: true } });
    const again = await call('DELETE', '/admin/credentials/doomed');
    expect(again.status).toBe(404);
    expect(again.body.error).toMatchObject({ code: 'credential_not_found', param: 'name' });
  });

  it('403 for a read-only key on PUT and DELETE; 405 for a method the path lacks', async () => {
    for (const method of ['PUT', 'DELETE']) {
      const { status, body } = await call(method, '/admin/credentials/openai-prod', { value: 'sk-x' }, { key: READER });
      expect(status, method).toBe(403);
      expect(body.error.code).toBe('admin_forbidden');
    }
    expect(openCredential((await storage.credentials.get('openai-prod'))!, masterKeys)).toBe('sk-second-value');
    expect((await call('POST', '/admin/credentials/openai-prod', { value: 'sk-x' })).status).toBe(405);
    expect((await call('PUT', '/admin/credentials')).status).toBe(405);
  });
});
