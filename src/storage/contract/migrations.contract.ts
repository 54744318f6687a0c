import { expect, it } from 'vitest';
import type { ContractContext } from './contract-context.ts';
import { unique } from './fixtures.ts';

export function describeMigrations(ctx: ContractContext): void {
  it('applies every migration once and nothing on the second run', async () => {
    expect(ctx.firstMigration).toEqual(['0001-initial', '0002-budgets', '0003-routing', '0004-savings']);
    expect(await ctx.storage.migrate()).toEqual([]);
  });

  it('keeps data across a re-run, and concurrent runs from several connections apply nothing twice', async () => {
    const tenant = await ctx.storage.tenants.create({ name: unique('migrated') });
    const results = await Promise.all([ctx.openPeer(), ctx.openPeer(), ctx.storage].map((s) => s.migrate()));
    expect(results).toEqual([[], [], []]);
    expect(await ctx.storage.tenants.get(tenant.id)).toEqual(tenant);
  });
}
