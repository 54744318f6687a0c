import { buildLedgerRow } from '../metering/index.ts';
import type { LedgerRow } from '../storage/index.ts';
import { finalStatus, type Call, type Endpoint } from './call.ts';

/** Endpoints that reach a model and so cost money; health, metrics, lists and counting do not. */
const METERED: ReadonlySet<Endpoint> = new Set<Endpoint>(['chat_completions', 'messages', 'embeddings']);

export interface LedgerSink {
  /** Journals the row before returning (durable against kill -9), writes it to the database later. */
  record(row: LedgerRow): void;
}

/**
 * The meter stage: one ledger row per authenticated request to a model endpoint — answered, failed
 * or abandoned — priced from the runtime's price book; the cost goes to the client as `x-moat-cost`.
 */
export function createMeter(ledger: LedgerSink): (call: Call) => void {
  return (call) => {
    if (!METERED.has(call.endpoint) || call.key === null) return;
    const { outcome, target } = call;
    const { row } = buildLedgerRow(
      {
        requestId: call.id,
        keyId: call.key.id,
        tenantId: call.key.tenantId,
        requestedModel: call.requestedModel ?? '',
        servedModel: target?.upstreamModel ?? '',
        providerName: target?.provider.name ?? '',
        providerType: target?.provider.type ?? '',
        usage: outcome.usage,
        usageSource: 'upstream',
        status: finalStatus(outcome),
        errorCode: outcome.errorCode,
        latencyMs: performance.now() - call.startedAt,
        ttftMs: outcome.ttftMs,
        routeReason: target ? `model:${target.entry.name}` : null,
        createdAt: Date.now(),
      },
      call.runtime.prices,
    );
    outcome.costMicros = row.costMicros;
    ledger.record(row);
  };
}
