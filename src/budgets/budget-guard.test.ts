import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MoatError } from '../errors/index.ts';
import { openStorage, type LedgerRow, type Storage } from '../storage/index.ts';
import { BudgetGuard, type BudgetAlert } from './budget-guard.ts';
import { BudgetRegistry } from './budget-registry.ts';
import { periodStart } from './period-start.ts';

const NOW = Date.UTC(2031, 4, 17, 13, 0);
const row = (requestId: string, costMicros: bigint, fields: Partial<LedgerRow> = {}): LedgerRow => ({
  requestId,
  keyId: 'key-1',
  tenantId: 'tenant-1',
  requestedModel: 'm',
  servedModel: 'm',
  provider: 'p',
  inputTokens: 1,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  outputTokens: 1,
  reasoningTokens: 0,
  costMicros,
  usageSource: 'upstream',
  latencyMs: 1,
  ttftMs: null,
  status: 200,
  errorCode: null,
  routeReason: null,
  attempts: 1,
  flags: null,
  baselineCostMicros: null,
  createdAt: NOW,
  ...fields,
});

describe('BudgetGuard', () => {
  let storage: Storage;
  let clock: number;
  let alerts: BudgetAlert[];
  let guard: BudgetGuard;
  const registry = () => new BudgetRegistry(storage.budgets);

  beforeEach(async () => {
    storage = openStorage({ path: ':memory:', clock: () => clock });
    await storage.migrate();
    clock = NOW;
    alerts = [];
  });
  afterEach(() => storage.close());

  async function guardWith(...budgets: Parameters<Storage['budgets']['create']>[0][]): Promise<BudgetGuard> {
    for (const budget of budgets) await storage.budgets.create(budget);
    const reg = registry();
    await reg.refresh();
    guard = new BudgetGuard(storage.budgets, reg, storage.ledger, { clock: () => clock, reservationTtlMs: 1000, onAlert: (a) => alerts.push(a) });
    return guard;
  }

  it('reserves on the key and tenant hard budgets, and refuses with insufficient_quota, not retryable', async () => {
    await guardWith(
      { id: 'b-key', scope: 'key', scopeId: 'key-1', period: 'day', limitMicros: 1000n, mode: 'hard' },
      { id: 'b-tenant', scope: 'tenant', scopeId: 'tenant-1', period: 'month', limitMicros: 1500n, mode: 'hard' },
      { id: 'b-soft', scope: 'tenant', scopeId: 'tenant-1', period: 'day', limitMicros: 1n, mode: 'soft' },
    );
    expect(guard.hasHardBudget('key-1', 'tenant-1')).toBe(true);
    expect(guard.hasHardBudget('key-2', 'tenant-2')).toBe(false);
    await guard.reserve('r1', 'key-1', 'tenant-1', 800n);
    const error = await guard.reserve('r2', 'key-1', 'tenant-1', 300n).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MoatError);
    expect(error).toMatchObject({ code: 'insufficient_quota', status: 429, shouldRetry: false });
    expect((error as Error).message).toContain('daily budget of this key');
    expect((error as Error).message).toContain('b-key');
    // Another key of the tenant meets the tenant's monthly budget.
    await expect(guard.reserve('r3', 'key-2', 'tenant-1', 800n)).rejects.toMatchObject({ code: 'insufficient_quota' });
    await guard.reserve('r4', 'key-2', 'tenant-1', 700n);
    expect(await storage.budgets.usage('b-tenant', periodStart('month', NOW))).toEqual({ spentMicros: 0n, reservedMicros: 1500n });
  });

  it('settles each row once: releases the reservation and charges hard and soft budgets, alerting when a limit is reached', async () => {
    await guardWith(
      { id: 'b-hard', scope: 'key', scopeId: 'key-1', period: 'day', limitMicros: 1000n, mode: 'hard' },
      { id: 'b-soft', scope: 'tenant', scopeId: 'tenant-1', period: 'total', limitMicros: 500n, mode: 'soft' },
    );
    await guard.reserve('r1', 'key-1', 'tenant-1', 900n);
    await guard.settleRowNow(row('r1', 400n));
    await guard.settleRowNow(row('r1', 400n));
    expect(await storage.budgets.usage('b-hard', periodStart('day', NOW))).toEqual({ spentMicros: 400n, reservedMicros: 0n });
    expect(await storage.budgets.usage('b-soft', 0)).toEqual({ spentMicros: 400n, reservedMicros: 0n });
    expect(alerts).toEqual([]);
    guard.settleRow(row('r2', 150n));
    await guard.idle();
    expect(alerts.map((a) => [a.budget.id, a.spentMicros, a.requestId])).toEqual([['b-soft', 550n, 'r2']]);
  });

  it('sweeps expired reservations: charged from the ledger row when there is one, released otherwise', async () => {
    await guardWith({ id: 'b', scope: 'key', scopeId: 'key-1', period: 'day', limitMicros: 10_000n, mode: 'hard' });
    await guard.reserve('answered', 'key-1', 'tenant-1', 3000n);
    await guard.reserve('lost', 'key-1', 'tenant-1', 4000n);
    await storage.ledger.insertBatch([row('answered', 1200n)]);
    expect(await guard.sweep()).toEqual({ charged: 0, released: 0 });
    clock = NOW + 1001;
    expect(await guard.sweep()).toEqual({ charged: 1, released: 1 });
    expect(await storage.budgets.usage('b', periodStart('day', NOW))).toEqual({ spentMicros: 1200n, reservedMicros: 0n });
    // The answered request's own settlement arriving late is not a second charge.
    await guard.settleRowNow(row('answered', 1200n));
    expect(await storage.budgets.usage('b', periodStart('day', NOW))).toEqual({ spentMicros: 1200n, reservedMicros: 0n });
  });

  it('costs nothing for callers without budgets', async () => {
    await guardWith();
    await guard.reserve('r', 'key-1', 'tenant-1', 10n ** 12n);
    guard.settleRow(row('r', 5n));
    await guard.idle();
    expect(await storage.budgets.list()).toEqual([]);
  });
});

describe('periodStart', () => {
  it('starts UTC days and months, and never for total', () => {
    const at = Date.UTC(2031, 11, 31, 23, 59, 59, 999);
    expect(new Date(periodStart('day', at)).toISOString()).toBe('2031-12-31T00:00:00.000Z');
    expect(new Date(periodStart('month', at)).toISOString()).toBe('2031-12-01T00:00:00.000Z');
    expect(periodStart('total', at)).toBe(0);
    expect(new Date(periodStart('day', at + 1)).toISOString()).toBe('2032-01-01T00:00:00.000Z');
  });
});
