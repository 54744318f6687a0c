import { expect, it } from 'vitest';
import type { KeyClass } from '../key-store.ts';
import { isUniqueViolation } from '../unique-violation.ts';
import type { ContractContext } from './contract-context.ts';
import { fakeKey, unique } from './fixtures.ts';

const HOUR = 3_600_000;

export function describeKeys(ctx: ContractContext): void {
  const newTenant = async () => (await ctx.storage.tenants.create({ name: unique('keys') })).id;

  it('creates a key with defaults, finds it by hash, and not once revoked', async () => {
    const { keys } = ctx.storage;
    ctx.clock.now = Date.UTC(2030, 2, 1);
    const tenantId = await newTenant();
    const material = fakeKey();
    const key = await keys.create({ tenantId, name: 'ci', ...material });
    expect(key).toEqual({
      id: expect.any(String), tenantId, name: 'ci', ...material, tier: 'standard', class: 'internal',
      allowedModels: null, metadata: null, expiresAt: null, revokedAt: null, createdAt: Date.UTC(2030, 2, 1), rotatedFromId: null,
    });
    expect(await keys.findByHash(material.keyHash, ctx.clock.now)).toEqual(key);

    ctx.clock.now += HOUR;
    expect(await keys.revoke(key.id)).toBe(true);
    expect(await keys.findByHash(material.keyHash, ctx.clock.now)).toBeUndefined();
    expect(await keys.revoke(key.id)).toBe(false);
    expect(await keys.get(key.id)).toEqual({ ...key, revokedAt: Date.UTC(2030, 2, 1) + HOUR });
  });

  it('stores every optional field and finds a key only before it expires', async () => {
    const { keys } = ctx.storage;
    const tenantId = await newTenant();
    const material = fakeKey();
    const expiresAt = ctx.clock.now + HOUR;
    const fields = { tier: 'priority', class: 'external' as KeyClass, allowedModels: ['gpt-4o', 'claude-*'], metadata: { team: 'search' }, expiresAt };
    const key = await keys.create({ tenantId, name: 'temp', ...material, ...fields });
    expect(await keys.get(key.id)).toMatchObject(fields);
    expect(await keys.findByHash(material.keyHash, expiresAt - 1)).toEqual(key);
    expect(await keys.findByHash(material.keyHash, expiresAt)).toBeUndefined();
    expect(await keys.findByHash(fakeKey().keyHash, ctx.clock.now)).toBeUndefined();
  });

  it('refuses a taken hash, an unknown tenant and an unknown class', async () => {
    const { keys } = ctx.storage;
    const tenantId = await newTenant();
    const material = fakeKey();
    await keys.create({ tenantId, name: 'one', ...material });
    await expect(keys.create({ tenantId, name: 'two', ...material })).rejects.toSatisfy(isUniqueViolation);
    await expect(keys.create({ tenantId: 'no-such-tenant', name: 'orphan', ...fakeKey() })).rejects.toThrow();
    await expect(keys.create({ tenantId, name: 'odd', ...fakeKey(), class: 'partner' as KeyClass })).rejects.toThrow();
  });

  it("lists a tenant's keys oldest first, revoked ones included", async () => {
    const { keys } = ctx.storage;
    const tenantId = await newTenant();
    const first = await keys.create({ tenantId, name: 'first', ...fakeKey() });
    ctx.clock.now += 1;
    const second = await keys.create({ tenantId, name: 'second', ...fakeKey() });
    await keys.revoke(first.id);
    expect((await keys.listByTenant(tenantId)).map((k) => [k.name, k.revokedAt !== null])).toEqual([['first', true], ['second', false]]);
    expect(second.tenantId).toBe(tenantId);
  });

  it('rotates: the replacement inherits the settings, the old key stops working', async () => {
    const { keys } = ctx.storage;
    const tenantId = await newTenant();
    const old = await keys.create({ tenantId, name: 'svc', ...fakeKey(), tier: 'batch', class: 'external', allowedModels: ['o3'], metadata: { owner: 'x' } });
    ctx.clock.now += HOUR;
    const material = fakeKey();
    const replacement = await keys.rotate(old.id, material);
    expect(replacement).toEqual({ ...old, ...material, id: expect.any(String), createdAt: ctx.clock.now, rotatedFromId: old.id });
    expect(replacement!.id).not.toBe(old.id);
    expect(await keys.findByHash(old.keyHash, ctx.clock.now)).toBeUndefined();
    expect(await keys.findByHash(material.keyHash, ctx.clock.now)).toEqual(replacement);
    expect(await keys.rotate(old.id, fakeKey())).toBeUndefined();
    expect(await keys.rotate('no-such-key', fakeKey())).toBeUndefined();
  });

  it('rotates atomically: when the replacement cannot be written, the old key stays valid', async () => {
    const { keys } = ctx.storage;
    const tenantId = await newTenant();
    const old = await keys.create({ tenantId, name: 'svc', ...fakeKey() });
    const other = await keys.create({ tenantId, name: 'other', ...fakeKey() });
    await expect(keys.rotate(old.id, { keyHash: other.keyHash, keyPrefix: 'collides', id: 'rotated-away' })).rejects.toSatisfy(isUniqueViolation);
    expect(await keys.findByHash(old.keyHash, ctx.clock.now)).toEqual(old);
    expect(await keys.get('rotated-away')).toBeUndefined();
  });

  it('lets exactly one of two concurrent rotations win', async () => {
    const { keys } = ctx.storage;
    const old = await keys.create({ tenantId: await newTenant(), name: 'race', ...fakeKey() });
    const results = await Promise.all([keys.rotate(old.id, fakeKey()), keys.rotate(old.id, fakeKey())]);
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('lists keys created or revoked since a time, for other replicas to pick up', async () => {
    const { keys } = ctx.storage;
    const tenantId = await newTenant();
    const before = await keys.create({ tenantId, name: 'before', ...fakeKey() });
    const untouched = await keys.create({ tenantId, name: 'untouched', ...fakeKey() });
    ctx.clock.now += HOUR;
    const since = ctx.clock.now;
    await keys.revoke(before.id);
    const created = await keys.create({ tenantId, name: 'after', ...fakeKey() });
    const changed = (await keys.listChangedSince(since)).filter((k) => k.tenantId === tenantId);
    expect(changed.map((k) => k.id).sort()).toEqual([before.id, created.id].sort());
    expect(changed.find((k) => k.id === before.id)?.revokedAt).toBe(since);
    expect(changed.map((k) => k.id)).not.toContain(untouched.id);
  });
}
