import { expect, it } from 'vitest';
import type { LedgerRow, SpendGroupBy } from '../ledger-store.ts';
import type { ContractContext } from './contract-context.ts';
import { ledgerRow, unique } from './fixtures.ts';

const ABOVE_2_53 = 2n ** 53n + 1n;

export function describeLedger(ctx: ContractContext): void {
  it('writes a request id once, within a batch and across batches, and counts only new rows', async () => {
    const { ledger } = ctx.storage;
    const [a, b, c] = [unique('req'), unique('req'), unique('req')];
    expect(await ledger.insertBatch([ledgerRow({ requestId: a }), ledgerRow({ requestId: a, outputTokens: 999 }), ledgerRow({ requestId: b })])).toBe(2);
    expect(await ledger.insertBatch([ledgerRow({ requestId: b }), ledgerRow({ requestId: a })])).toBe(0);
    expect(await ledger.insertBatch([ledgerRow({ requestId: a }), ledgerRow({ requestId: c })])).toBe(1);
    expect(await ledger.insertBatch([])).toBe(0);
    // The first write of an id stands; a replay never changes it.
    expect((await ledger.get(a))?.outputTokens).toBe(20);
  });

  it('reads back every field exactly, a cost above 2^53 and nulls included', async () => {
    const row: LedgerRow = ledgerRow({
      requestId: unique('req'), inputTokens: 1_000_000, cachedInputTokens: 900_000, cacheWriteTokens: 50_000, outputTokens: 70_000,
      reasoningTokens: 65_000, costMicros: ABOVE_2_53 * 1000n, usageSource: 'tokenizer', ttftMs: null, status: 499,
      errorCode: 'client_closed', routeReason: 'fallback:upstream_overloaded', createdAt: Date.UTC(2031, 6, 4, 3, 2, 1, 987),
    });
    // Two one-row batches: the second reuses the statement the first built.
    const other: LedgerRow = ledgerRow({ requestId: unique('req'), ttftMs: 12, errorCode: null, routeReason: 'cheapest', usageSource: 'estimate' });
    expect([await ctx.storage.ledger.insertBatch([row]), await ctx.storage.ledger.insertBatch([other])]).toEqual([1, 1]);
    expect(await ctx.storage.ledger.get(row.requestId)).toEqual(row);
    expect(await ctx.storage.ledger.get(other.requestId)).toEqual(other);
    expect(await ctx.storage.ledger.get(unique('missing'))).toBeUndefined();
  });

  it('writes a batch larger than one statement takes, and replays it as nothing new', async () => {
    const tenantId = unique('tenant');
    const rows = Array.from({ length: 1234 }, (_, i) => ledgerRow({ requestId: `${tenantId}-${i}`, tenantId, costMicros: BigInt(i) }));
    expect(await ctx.storage.ledger.insertBatch(rows)).toBe(1234);
    expect(await ctx.storage.ledger.insertBatch(rows.slice(1000).concat(ledgerRow({ requestId: `${tenantId}-new`, tenantId })))).toBe(1);
    const [total] = await ctx.storage.ledger.spend({ from: 0, to: Date.UTC(2100, 0, 1), groupBy: 'tenant', tenantId });
    expect(total).toMatchObject({ requests: 1235, costMicros: BigInt((1233 * 1234) / 2) + 450n });
    expect(await ctx.storage.ledger.get(`${tenantId}-777`)).toEqual(rows[777]);
  });

  it('refuses fractional token counts and a cost that is not a bigint, on every backend', async () => {
    await expect(ctx.storage.ledger.insertBatch([ledgerRow({ requestId: unique('req'), outputTokens: 1.5 })])).rejects.toThrow(TypeError);
    await expect(ctx.storage.ledger.insertBatch([ledgerRow({ requestId: unique('req'), costMicros: 12 as unknown as bigint })])).rejects.toThrow(TypeError);
    await expect(ctx.storage.ledger.insertBatch([ledgerRow({ requestId: unique('req'), baselineCostMicros: 12 as unknown as bigint })])).rejects.toThrow(TypeError);
  });

  it('sums spend exactly by key, tenant, model and provider, over [from, to)', async () => {
    const from = Date.UTC(2032, 0, 1);
    const t1 = unique('tenant');
    const t2 = unique('tenant');
    const at = (h: number) => from + h * 3_600_000;
    const rows = [
      ledgerRow({ requestId: unique('r'), tenantId: t1, keyId: 'k1', servedModel: 'o3', provider: 'openai', costMicros: ABOVE_2_53, inputTokens: 10, reasoningTokens: 7, createdAt: at(0) }),
      ledgerRow({ requestId: unique('r'), tenantId: t1, keyId: 'k2', servedModel: 'o3', provider: 'azure', costMicros: ABOVE_2_53 + 2n, inputTokens: 5, cachedInputTokens: 3, createdAt: at(1) }),
      ledgerRow({ requestId: unique('r'), tenantId: t2, keyId: 'k3', servedModel: 'claude-sonnet-4', provider: 'anthropic', costMicros: 1n, cacheWriteTokens: 11, createdAt: at(2) }),
      // Outside the window: at `to` exactly, and before `from`.
      ledgerRow({ requestId: unique('r'), tenantId: t1, keyId: 'k1', costMicros: 1_000_000n, createdAt: at(24) }),
      ledgerRow({ requestId: unique('r'), tenantId: t1, keyId: 'k1', costMicros: 1_000_000n, createdAt: from - 1 }),
    ];
    await ctx.storage.ledger.insertBatch(rows);
    const spend = async (groupBy: SpendGroupBy) =>
      (await ctx.storage.ledger.spend({ from, to: at(24), groupBy })).map((s) => [s.group, s.requests, s.costMicros]);
    const both = 2n * ABOVE_2_53 + 2n;
    expect(both).toBe(2n ** 54n + 4n);
    expect(await spend('tenant')).toEqual([[t1, 2, both], [t2, 1, 1n]].sort((x, y) => (String(x[0]) < String(y[0]) ? -1 : 1)));
    expect(await spend('key')).toEqual([['k1', 1, ABOVE_2_53], ['k2', 1, ABOVE_2_53 + 2n], ['k3', 1, 1n]]);
    expect(await spend('model')).toEqual([['claude-sonnet-4', 1, 1n], ['o3', 2, both]]);
    expect(await spend('provider')).toEqual([['anthropic', 1, 1n], ['azure', 1, ABOVE_2_53 + 2n], ['openai', 1, ABOVE_2_53]]);

    const [tokens] = await ctx.storage.ledger.spend({ from, to: at(24), groupBy: 'tenant', tenantId: t1 });
    expect(tokens).toEqual({ group: t1, requests: 2, inputTokens: 15, cachedInputTokens: 3, cacheWriteTokens: 0, outputTokens: 40, reasoningTokens: 7, costMicros: both, baselineCostMicros: null, savingsMicros: null });
    const byKey = await ctx.storage.ledger.spend({ from, to: at(24), groupBy: 'model', keyId: 'k2' });
    expect(byKey.map((s) => [s.group, s.costMicros])).toEqual([['o3', ABOVE_2_53 + 2n]]);
  });

  it('keeps the baseline cost (null, 0, above 2^53) and sums it with the savings of the same rows', async () => {
    const tenantId = unique('tenant');
    const at = Date.UTC(2034, 5, 1);
    const rows = [
      // Served locally for nothing, against a premium baseline above 2^53.
      ledgerRow({ requestId: unique('r'), tenantId, keyId: 'kb1', costMicros: 0n, baselineCostMicros: ABOVE_2_53, createdAt: at }),
      // Served by a model dearer than the baseline: a negative saving.
      ledgerRow({ requestId: unique('r'), tenantId, keyId: 'kb1', costMicros: 700n, baselineCostMicros: 500n, createdAt: at }),
      // No baseline (unset or unpriced): its cost is left out of the saving.
      ledgerRow({ requestId: unique('r'), tenantId, keyId: 'kb2', costMicros: 9_000n, baselineCostMicros: null, createdAt: at }),
      ledgerRow({ requestId: unique('r'), tenantId, keyId: 'kb3', costMicros: 0n, baselineCostMicros: 0n, createdAt: at }),
    ];
    await ctx.storage.ledger.insertBatch(rows);
    for (const row of rows) expect(await ctx.storage.ledger.get(row.requestId)).toEqual(row);
    const spend = await ctx.storage.ledger.spend({ from: at, to: at + 1, groupBy: 'key', tenantId });
    expect(spend.map((s) => [s.group, s.costMicros, s.baselineCostMicros, s.savingsMicros])).toEqual([
      ['kb1', 700n, ABOVE_2_53 + 500n, ABOVE_2_53 - 200n],
      ['kb2', 9_000n, null, null],
      ['kb3', 0n, 0n, 0n],
    ]);
    const [total] = await ctx.storage.ledger.spend({ from: at, to: at + 1, groupBy: 'tenant', tenantId });
    expect(total).toMatchObject({ requests: 4, costMicros: 9_700n, baselineCostMicros: ABOVE_2_53 + 500n, savingsMicros: ABOVE_2_53 - 200n });
    // Per request: each row's own cost, baseline and saving.
    const perRequest = await ctx.storage.ledger.spend({ from: at, to: at + 1, groupBy: 'request', tenantId });
    expect(perRequest.map((s) => [s.group, s.requests, s.costMicros, s.baselineCostMicros, s.savingsMicros])).toEqual(
      rows.map((r) => [r.requestId, 1, r.costMicros, r.baselineCostMicros, r.baselineCostMicros === null ? null : r.baselineCostMicros - r.costMicros]).sort((x, y) => (String(x[0]) < String(y[0]) ? -1 : 1)),
    );
  });

  it('groups by UTC calendar day', async () => {
    const tenantId = unique('tenant');
    const day = Date.UTC(2033, 2, 10);
    const times = [day, day + 86_400_000 - 1, day + 86_400_000, day + 3 * 86_400_000 + 1];
    await ctx.storage.ledger.insertBatch(times.map((createdAt, i) => ledgerRow({ requestId: unique('r'), tenantId, createdAt, costMicros: BigInt(10 ** i) })));
    const spend = await ctx.storage.ledger.spend({ from: day, to: day + 7 * 86_400_000, groupBy: 'day', tenantId });
    expect(spend.map((s) => [s.group, s.requests, s.costMicros])).toEqual([
      ['2033-03-10', 2, 11n],
      ['2033-03-11', 1, 100n],
      ['2033-03-13', 1, 1000n],
    ]);
  });

  it('never duplicates a row when overlapping batches arrive at once from several connections', async () => {
    const tenantId = unique('tenant');
    const ids = Array.from({ length: 600 }, (_, i) => `${tenantId}-${String(i).padStart(4, '0')}`);
    // Four writers, each taking an overlapping 300-id slice in its own shuffled order.
    const slices = [0, 100, 200, 300].map((start) => shuffle(ids.slice(start, start + 300)));
    const writers = slices.map(() => ctx.openPeer());
    const counts = await Promise.all(
      slices.map((slice, w) => writers[w]!.ledger.insertBatch(slice.map((requestId) => ledgerRow({ requestId, tenantId, costMicros: 3n })))),
    );
    expect(counts.reduce((a, b) => a + b, 0)).toBe(ids.length);
    const [total] = await ctx.storage.ledger.spend({ from: 0, to: Date.UTC(2100, 0, 1), groupBy: 'tenant', tenantId });
    expect(total).toMatchObject({ requests: ids.length, costMicros: 3n * BigInt(ids.length) });
  });
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
