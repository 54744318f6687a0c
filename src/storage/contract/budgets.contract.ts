import { expect, it } from 'vitest';
import type { NewBudget } from '../budget-store.ts';
import type { ContractContext } from './contract-context.ts';
import { unique } from './fixtures.ts';

const DAY = Date.UTC(2030, 0, 1);

export function describeBudgets(ctx: ContractContext): void {
  const newBudget = (fields: Partial<NewBudget> = {}): NewBudget => ({ scope: 'key', scopeId: unique('key'), period: 'day', limitMicros: 1000n, mode: 'hard', ...fields });
  const hold = (budgetId: string, amountMicros: bigint, limitMicros = 1000n) => ({ budgetId, periodStart: DAY, amountMicros, limitMicros });

  it('creates, lists by scope, gets and deletes budgets, bigint limits intact', async () => {
    const scopeId = unique('tenant');
    const big = await ctx.storage.budgets.create(newBudget({ scope: 'tenant', scopeId, period: 'month', limitMicros: 2n ** 60n, mode: 'soft', name: 'cap' }));
    const small = await ctx.storage.budgets.create(newBudget({ scope: 'tenant', scopeId, period: 'total' }));
    expect(big).toMatchObject({ scope: 'tenant', scopeId, period: 'month', limitMicros: 2n ** 60n, mode: 'soft', name: 'cap' });
    expect(await ctx.storage.budgets.get(big.id)).toEqual(big);
    expect((await ctx.storage.budgets.list({ scope: 'tenant', scopeId })).map((b) => b.id).sort()).toEqual([big.id, small.id].sort());
    expect(await ctx.storage.budgets.delete(big.id)).toBe(true);
    expect(await ctx.storage.budgets.delete(big.id)).toBe(false);
    expect(await ctx.storage.budgets.list({ scope: 'tenant', scopeId })).toEqual([small]);
  });

  it('reserves while spent + reserved + amount stays within the limit, and says which budget refused', async () => {
    const budget = await ctx.storage.budgets.create(newBudget());
    expect(await ctx.storage.budgets.reserve(unique('r'), [hold(budget.id, 600n)], DAY + 60_000)).toEqual({ ok: true });
    expect(await ctx.storage.budgets.reserve(unique('r'), [hold(budget.id, 400n)], DAY + 60_000)).toEqual({ ok: true });
    const refused = await ctx.storage.budgets.reserve(unique('r'), [hold(budget.id, 1n)], DAY + 60_000);
    expect(refused).toEqual({ ok: false, budgetId: budget.id, usage: { spentMicros: 0n, reservedMicros: 1000n } });
    expect(await ctx.storage.budgets.usage(budget.id, DAY)).toEqual({ spentMicros: 0n, reservedMicros: 1000n });
  });

  it('reserves on several budgets all or none', async () => {
    const roomy = await ctx.storage.budgets.create(newBudget({ limitMicros: 10_000n }));
    const tight = await ctx.storage.budgets.create(newBudget({ limitMicros: 100n }));
    const result = await ctx.storage.budgets.reserve(unique('r'), [hold(roomy.id, 500n, 10_000n), hold(tight.id, 500n, 100n)], DAY + 60_000);
    expect(result).toMatchObject({ ok: false, budgetId: tight.id });
    expect(await ctx.storage.budgets.usage(roomy.id, DAY)).toEqual({ spentMicros: 0n, reservedMicros: 0n });
  });

  it('settles: releases the reservation, charges the actual cost once, whoever settles again', async () => {
    const budget = await ctx.storage.budgets.create(newBudget());
    const requestId = unique('r');
    await ctx.storage.budgets.reserve(requestId, [hold(budget.id, 700n)], DAY + 60_000);
    expect(await ctx.storage.budgets.settle(requestId, [{ budgetId: budget.id, periodStart: DAY, amountMicros: 250n }])).toEqual([
      { budgetId: budget.id, charged: true, spentMicros: 250n },
    ]);
    expect(await ctx.storage.budgets.settle(requestId, [{ budgetId: budget.id, periodStart: DAY, amountMicros: 250n }])).toEqual([
      { budgetId: budget.id, charged: false, spentMicros: 250n },
    ]);
    expect(await ctx.storage.budgets.usage(budget.id, DAY)).toEqual({ spentMicros: 250n, reservedMicros: 0n });
    // A charge without a reservation (a soft budget, a replayed row) is counted the same way.
    await ctx.storage.budgets.settle(unique('r'), [{ budgetId: budget.id, periodStart: DAY, amountMicros: 5n }]);
    expect(await ctx.storage.budgets.usage(budget.id, DAY)).toEqual({ spentMicros: 255n, reservedMicros: 0n });
  });

  it('charges a request to the period its reservation was made in', async () => {
    const budget = await ctx.storage.budgets.create(newBudget());
    const requestId = unique('r');
    await ctx.storage.budgets.reserve(requestId, [hold(budget.id, 100n)], DAY + 60_000);
    const nextDay = DAY + 86_400_000;
    await ctx.storage.budgets.settle(requestId, [{ budgetId: budget.id, periodStart: nextDay, amountMicros: 80n }]);
    expect(await ctx.storage.budgets.usage(budget.id, DAY)).toEqual({ spentMicros: 80n, reservedMicros: 0n });
    expect(await ctx.storage.budgets.usage(budget.id, nextDay)).toEqual({ spentMicros: 0n, reservedMicros: 0n });
  });

  it('finds expired reservations; releasing one frees its amount once, and a late settlement still charges', async () => {
    const budget = await ctx.storage.budgets.create(newBudget());
    const requestId = unique('r');
    await ctx.storage.budgets.reserve(requestId, [hold(budget.id, 900n)], DAY + 1000);
    const expired = (await ctx.storage.budgets.expiredHolds(DAY + 1001, 1000)).filter((h) => h.budgetId === budget.id);
    expect(expired).toEqual([{ requestId, budgetId: budget.id, periodStart: DAY, amountMicros: 900n }]);
    expect(await ctx.storage.budgets.expiredHolds(DAY + 1000, 1000)).not.toContainEqual(expired[0]);
    expect(await ctx.storage.budgets.releaseHold(expired[0]!)).toBe(true);
    expect(await ctx.storage.budgets.releaseHold(expired[0]!)).toBe(false);
    expect(await ctx.storage.budgets.usage(budget.id, DAY)).toEqual({ spentMicros: 0n, reservedMicros: 0n });
    await ctx.storage.budgets.settle(requestId, [{ budgetId: budget.id, periodStart: DAY, amountMicros: 300n }]);
    expect(await ctx.storage.budgets.usage(budget.id, DAY)).toEqual({ spentMicros: 300n, reservedMicros: 0n });
  });

  it('prunes old charge records only', async () => {
    const budget = await ctx.storage.budgets.create(newBudget());
    ctx.clock.now = DAY;
    await ctx.storage.budgets.settle(unique('r'), [{ budgetId: budget.id, periodStart: DAY, amountMicros: 1n }]);
    await ctx.storage.budgets.reserve(unique('r'), [hold(budget.id, 5n)], DAY - 1);
    expect(await ctx.storage.budgets.pruneCharges(DAY + 1)).toBeGreaterThanOrEqual(1);
    expect((await ctx.storage.budgets.expiredHolds(DAY, 1000)).some((h) => h.budgetId === budget.id)).toBe(true);
  });

  it('never lets concurrent reservations pass the limit together (several connections on PostgreSQL)', async () => {
    const budget = await ctx.storage.budgets.create(newBudget({ limitMicros: 500n }));
    // SQLite serves one gateway process through one connection (decision 0012): node:sqlite waits for
    // another connection's lock synchronously, so two connections in one process would block each other.
    const peers = ctx.storage.backend === 'postgres' ? [ctx.storage, ctx.openPeer(), ctx.openPeer()] : [ctx.storage];
    const results = await Promise.all(
      Array.from({ length: 120 }, (_, i) => peers[i % peers.length]!.budgets.reserve(unique('r'), [hold(budget.id, 10n, 500n)], DAY + 60_000)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(50);
    expect(await ctx.storage.budgets.usage(budget.id, DAY)).toEqual({ spentMicros: 0n, reservedMicros: 500n });
  });
}
