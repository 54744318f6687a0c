import type { LedgerRow } from '../storage/index.ts';
import type { GatewayMetrics } from '../telemetry/index.ts';

const MICROS_PER_USD = 1_000_000;

/**
 * Adds a metered row's cost, and its baseline cost when it has one, to the Prometheus counters.
 * Floats are fine here (the ledger stays exact); a cost above 2^53 micro-USD would only lose cents.
 */
export function recordCostMetrics(metrics: Pick<GatewayMetrics, 'costUsd' | 'baselineCostUsd'>, row: Pick<LedgerRow, 'tenantId' | 'provider' | 'costMicros' | 'baselineCostMicros'>): void {
  metrics.costUsd.inc({ tenant: row.tenantId, provider: row.provider || 'none' }, Number(row.costMicros) / MICROS_PER_USD);
  if (row.baselineCostMicros !== null) metrics.baselineCostUsd.inc({ tenant: row.tenantId }, Number(row.baselineCostMicros) / MICROS_PER_USD);
}
