import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPriceBook, PriceBook } from '../pricing/index.ts';
import { GatewayMetrics } from '../telemetry/index.ts';
import { buildLedgerRow } from './build-ledger-row.ts';
import type { LedgerRowInput } from './build-ledger-row.ts';
import { recordCostMetrics } from './cost-metrics.ts';
import { LedgerJournal } from './ledger-journal.ts';
import { ledgerRow } from './ledger-row.fixture.ts';

const usage = { inputTokens: 3000, cachedInputTokens: 2000, cacheWriteTokens: 0, outputTokens: 1500, reasoningTokens: 1000 };
const input = (over: Partial<LedgerRowInput> = {}): LedgerRowInput => ({
  requestId: 'req-1', keyId: 'key-1', tenantId: 'tenant-1', requestedModel: 'auto', servedModel: 'llama3.1:8b', providerName: 'ollama',
  providerType: 'openai-compatible', usage, usageSource: 'upstream', status: 200, errorCode: null, latencyMs: 10, ttftMs: 5,
  routeReason: null, attempts: 1, flags: [], createdAt: Date.UTC(2026, 0, 1), ...over,
});

describe('savings baseline in the ledger row', () => {
  it('prices the same usage at the baseline (gpt-4o: $2.50 / cached $1.25 / $10), the row keeping its own cost', () => {
    const { row, priced } = buildLedgerRow(input(), new PriceBook(), { provider: 'openai', model: 'gpt-4o' });
    // A local model with no price: it costs 0, the baseline does not.
    expect(priced).toBe(false);
    expect(row.costMicros).toBe(0n);
    // 1000 × 2_500_000 + 2000 × 1_250_000 + 1500 × 10_000_000 (reasoning inside output) = 20_000_000_000 pico-USD
    expect(row.baselineCostMicros).toBe(20_000n);
  });

  it('is null without a baseline, and null when the baseline has no price', () => {
    expect(buildLedgerRow(input(), new PriceBook()).row.baselineCostMicros).toBeNull();
    expect(buildLedgerRow(input(), new PriceBook(), { provider: 'openai', model: 'no-such-model' }).row.baselineCostMicros).toBeNull();
  });

  it('takes a `pricing` override when the baseline names a configured provider', () => {
    const prices = createPriceBook({ models: [{ provider: 'azure-eu', model: 'gpt-4o', price: { inputPerMTok: 5_000_000, outputPerMTok: 20_000_000, cachedInputPerMTok: 5_000_000, cacheWritePerMTok: 5_000_000 } }] } as never);
    const { row } = buildLedgerRow(input(), prices, { provider: 'azure-eu', model: 'gpt-4o' });
    // 3000 × 5 + 1500 × 20 = 45_000 µUSD
    expect(row.baselineCostMicros).toBe(45_000n);
  });

  it('a request served by the baseline model itself saves nothing', () => {
    const { row } = buildLedgerRow(input({ servedModel: 'gpt-4o', providerType: 'openai', providerName: 'openai' }), new PriceBook(), { provider: 'openai', model: 'gpt-4o' });
    expect(row.baselineCostMicros).toBe(row.costMicros);
  });

  it('survives the journal round trip, null and above 2^53 alike', () => {
    const dir = mkdtempSync(join(tmpdir(), 'moat-savings-'));
    try {
      const journal = new LedgerJournal({ dir });
      const rows = [ledgerRow('a', { baselineCostMicros: 2n ** 60n }), ledgerRow('b', { baselineCostMicros: null })];
      for (const row of rows) journal.append(row);
      journal.close();
      const replayed = [...new LedgerJournal({ dir }).replay()].flatMap((segment) => segment.rows);
      expect(replayed).toEqual(rows);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('counts cost and baseline in Prometheus by tenant, with no prompt or key in any label', async () => {
    const metrics = new GatewayMetrics();
    recordCostMetrics(metrics, { tenantId: 't-1', provider: 'ollama', costMicros: 0n, baselineCostMicros: 20_000n });
    recordCostMetrics(metrics, { tenantId: 't-1', provider: 'openai', costMicros: 1_500_000n, baselineCostMicros: 2_000_000n });
    recordCostMetrics(metrics, { tenantId: 't-2', provider: 'openai', costMicros: 10n, baselineCostMicros: null });
    const text = await metrics.registry.metrics();
    expect(text).toContain('moat_cost_usd_total{tenant="t-1",provider="openai"} 1.5');
    expect(text).toContain('moat_baseline_cost_usd_total{tenant="t-1"} 2.02');
    expect(text).not.toContain('moat_baseline_cost_usd_total{tenant="t-2"}');
  });
});
