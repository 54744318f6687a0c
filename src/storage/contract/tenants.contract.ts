import { expect, it } from 'vitest';
import { isUniqueViolation } from '../unique-violation.ts';
import type { ContractContext } from './contract-context.ts';
import { unique } from './fixtures.ts';

export function describeTenants(ctx: ContractContext): void {
  it('creates a tenant and reads it back by id, by name and in the list', async () => {
    ctx.clock.now = Date.UTC(2030, 1, 1, 12);
    const name = unique('acme');
    const tenant = await ctx.storage.tenants.create({ name, metadata: { plan: 'enterprise', seats: 40 } });
    expect(tenant).toEqual({ id: expect.any(String), name, metadata: { plan: 'enterprise', seats: 40 }, createdAt: Date.UTC(2030, 1, 1, 12) });
    expect(await ctx.storage.tenants.get(tenant.id)).toEqual(tenant);
    expect(await ctx.storage.tenants.getByName(name)).toEqual(tenant);
    expect(await ctx.storage.tenants.list()).toContainEqual(tenant);
  });

  it('takes a given id, and lists by name', async () => {
    const id = unique('tenant');
    const [b, a] = [await ctx.storage.tenants.create({ id, name: unique('zz-b') }), await ctx.storage.tenants.create({ name: unique('zz-a') })];
    expect(b.id).toBe(id);
    expect(b.metadata).toBeNull();
    const names = (await ctx.storage.tenants.list()).map((t) => t.name);
    expect(names.indexOf(a.name)).toBeLessThan(names.indexOf(b.name));
  });

  it('refuses a second tenant of the same name as a unique violation', async () => {
    const name = unique('dup');
    await ctx.storage.tenants.create({ name });
    await expect(ctx.storage.tenants.create({ name })).rejects.toSatisfy(isUniqueViolation);
  });

  it('answers undefined for an unknown tenant', async () => {
    expect(await ctx.storage.tenants.get('no-such-tenant')).toBeUndefined();
    expect(await ctx.storage.tenants.getByName('no-such-tenant')).toBeUndefined();
  });
}
