import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyRegistry } from '../keys/key-registry.ts';
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
const clock = { now: Date.UTC(2030, 0, 1) };

let storage: Storage;
beforeAll(async () => {
  storage = openStorage({ path: ':memory:', clock: () => clock.now });
  await storage.migrate();
});
afterAll(() => storage.close());

async function call(method: string, url: string, body?: unknown, key: string | null = ADMIN) {
  const headers = key === null ? {} : { authorization: `Bearer ${key}` };
  const raw = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const response = await handleAdminRequest({ stores: storage, adminKeys, clock: () => clock.now }, { method, url, headers, body: raw, requestId: 'req_1' });
  expect(response.headers['content-type']).toBe('application/json');
  return { status: response.status, body: JSON.parse(response.body) };
}

describe('admin API: authentication and roles', () => {
  it('401 admin_auth_required without a key or with a wrong one, in the OpenAI error body', async () => {
    for (const key of [null, 'wrong']) {
      const { status, body } = await call('GET', '/admin/tenants', undefined, key);
      expect(status).toBe(401);
      expect(body.error).toMatchObject({ type: 'authentication_error', code: 'admin_auth_required', moat_code: 'admin_auth_required', request_id: 'req_1' });
    }
  });

  it('accepts x-api-key too', async () => {
    const response = await handleAdminRequest({ stores: storage, adminKeys }, { method: 'GET', url: '/admin/tenants', headers: { 'x-api-key': READER }, requestId: 'r' });
    expect(response.status).toBe(200);
  });

  it('lets a read-only key read and answers 403 admin_forbidden when it writes', async () => {
    expect((await call('GET', '/admin/keys', undefined, READER)).status).toBe(200);
    for (const [url, body] of [['/admin/tenants', { name: 'ro' }], ['/admin/keys', {}], ['/admin/keys/x/revoke', undefined], ['/admin/keys/x/rotate', undefined]] as const) {
      const { status, body: error } = await call('POST', url, body, READER);
      expect(status, url).toBe(403);
      expect(error.error.code).toBe('admin_forbidden');
    }
  });

  it('404 for an unknown path, 405 for a wrong method', async () => {
    expect((await call('GET', '/admin/nothing')).body.error.code).toBe('route_not_found');
    expect((await call('DELETE', '/admin/keys')).status).toBe(405);
  });
});

describe('admin API: tenants', () => {
  it('creates and lists tenants; 409 tenant_exists for a taken name', async () => {
    const created = await call('POST', '/admin/tenants', { name: 'acme', metadata: { plan: 'gold' } });
    expect(created).toEqual({ status: 201, body: { id: expect.any(String), name: 'acme', metadata: { plan: 'gold' }, createdAt: '2030-01-01T00:00:00.000Z' } });
    const again = await call('POST', '/admin/tenants', { name: 'acme' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'tenant_exists', param: 'name' });
    const list = await call('GET', '/admin/tenants', undefined, READER);
    expect(list.body.data.map((t: { name: string }) => t.name)).toContain('acme');
  });

  it('400 with every field error listed', async () => {
    const { status, body } = await call('POST', '/admin/tenants', { name: '', metadata: 'x', extra: 1 });
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.fields.map((f: { param: string }) => f.param).sort()).toEqual(['body', 'metadata', 'name']);
    expect(body.error.param).toBe(body.error.fields[0].param);
  });

  it('400 invalid_json for a body that is not a JSON object', async () => {
    expect((await call('POST', '/admin/tenants', '{nope')).body.error.code).toBe('invalid_json');
    expect((await call('POST', '/admin/tenants', '[1]')).body.error.code).toBe('invalid_json');
  });
});

describe('admin API: keys', () => {
  it('creates a key shown once, lists it by prefix only, and the key authenticates', async () => {
    await call('POST', '/admin/tenants', { name: 'keys-co' });
    const expiresAt = '2030-06-01T00:00:00Z';
    const { status, body } = await call('POST', '/admin/keys', { tenant: 'keys-co', name: 'ci', tier: 'priority', class: 'external', allowedModels: ['gpt-4o'], metadata: { team: 'x' }, expiresAt });
    expect(status).toBe(201);
    expect(body.key).toMatch(/^moat_sk_[0-9A-Za-z]{33}$/);
    expect(body.warning).toMatch(/not show it again/);
    expect(body.record).toMatchObject({ name: 'ci', tier: 'priority', class: 'external', allowedModels: ['gpt-4o'], metadata: { team: 'x' }, status: 'active', expiresAt: '2030-06-01T00:00:00.000Z', keyPrefix: body.key.slice(0, 12) });

    const list = await call('GET', '/admin/keys?tenant=keys-co', undefined, READER);
    expect(list.body.data).toEqual([body.record]);
    const text = JSON.stringify(list.body);
    expect(text).not.toContain(body.key);
    expect(text).not.toContain(hashApiKey(body.key));
    expect(text).not.toContain('keyHash');

    const registry = new KeyRegistry(storage.keys, { clock: () => clock.now });
    expect(await registry.lookup(hashApiKey(body.key), clock.now)).toMatchObject({ id: body.record.id, tier: 'priority' });
  });

  it('takes the tenant by id as well as by name; 404 tenant_not_found otherwise', async () => {
    const tenant = (await call('POST', '/admin/tenants', { name: 'by-id' })).body;
    expect((await call('POST', '/admin/keys', { tenant: tenant.id, name: 'a' })).status).toBe(201);
    const missing = await call('POST', '/admin/keys', { tenant: 'nobody', name: 'a' });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'tenant_not_found', param: 'tenant' });
    expect((await call('GET', '/admin/keys?tenant=nobody')).status).toBe(404);
  });

  it('400 lists every bad field of a key', async () => {
    const { status, body } = await call('POST', '/admin/keys', { name: 3, class: 'vip', allowedModels: [], expiresAt: 'tomorrow' });
    expect(status).toBe(400);
    expect(body.error.fields.map((f: { param: string }) => f.param).sort()).toEqual(['allowedModels', 'class', 'expiresAt', 'name', 'tenant']);
    expect(body.error.fields.find((f: { param: string }) => f.param === 'tenant').message).toMatch(/required/);
  });

  it('400 for an expiry in the past', async () => {
    const { body } = await call('POST', '/admin/keys', { tenant: 'acme', name: 'old', expiresAt: '2029-12-31' });
    expect(body.error).toMatchObject({ code: 'invalid_request', param: 'expiresAt' });
  });

  it('lists every tenant\'s keys without ?tenant', async () => {
    const { body } = await call('GET', '/admin/keys');
    expect(body.data.length).toBeGreaterThanOrEqual(2);
  });

  it('revokes a key (again is a no-op) and the registry refuses it after refresh; 404 key_not_found', async () => {
    const created = (await call('POST', '/admin/keys', { tenant: 'acme', name: 'gone' })).body;
    const registry = new KeyRegistry(storage.keys, { clock: () => clock.now });
    expect(await registry.lookup(hashApiKey(created.key), clock.now)).toBeDefined();

    clock.now += 1000;
    const revoked = await call('POST', `/admin/keys/${created.record.id}/revoke`);
    expect(revoked).toEqual({ status: 200, body: { ...created.record, status: 'revoked', revokedAt: new Date(clock.now).toISOString() } });
    expect((await call('POST', `/admin/keys/${created.record.id}/revoke`)).body).toEqual(revoked.body);
    await registry.refresh();
    expect(await registry.lookup(hashApiKey(created.key), clock.now)).toBeUndefined();

    const missing = await call('POST', '/admin/keys/no-such-key/revoke');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('key_not_found');
  });

  it('rotates a key: a new key once, the old one refused after refresh; 409 for a revoked key', async () => {
    const created = (await call('POST', '/admin/keys', { tenant: 'acme', name: 'turn' })).body;
    const registry = new KeyRegistry(storage.keys, { clock: () => clock.now });
    expect(await registry.lookup(hashApiKey(created.key), clock.now)).toBeDefined();

    clock.now += 1000;
    const rotated = await call('POST', `/admin/keys/${created.record.id}/rotate`);
    expect(rotated.status).toBe(201);
    expect(rotated.body.key).not.toBe(created.key);
    expect(rotated.body.record).toMatchObject({ name: 'turn', rotatedFromId: created.record.id, status: 'active' });
    await registry.refresh();
    expect(await registry.lookup(hashApiKey(created.key), clock.now)).toBeUndefined();
    expect(await registry.lookup(hashApiKey(rotated.body.key), clock.now)).toMatchObject({ id: rotated.body.record.id });

    const again = await call('POST', `/admin/keys/${created.record.id}/rotate`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('key_revoked');
    expect((await call('POST', '/admin/keys/nope/rotate')).status).toBe(404);
  });
});
