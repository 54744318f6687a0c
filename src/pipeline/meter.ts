import { buildLedgerRow, recordCostMetrics, type BillableUsage } from '../metering/index.ts';
import type { LedgerRow } from '../storage/index.ts';
import { attemptsHeader } from './attempts-header.ts';
import { finalStatus, type Call, type Endpoint } from './call.ts';

/** Endpoints that reach a model and so cost money; health, metrics, lists and counting do not. */
const METERED: ReadonlySet<Endpoint> = new Set<Endpoint>(['chat_completions', 'messages', 'embeddings']);

export interface LedgerSink {
  /** Journals the row before returning (durable against kill -9), writes it to the database later. */
  record(row: LedgerRow): void;
}

/** What the sink says to bill (docs/metering.md); a count that fails must not lose the row. */
function billedUsage(call: Call): BillableUsage {
  // Before relaying (a refused request) there is no sink: nothing was generated.
  if (!call.sink) return { usage: call.outcome.usage, source: 'upstream' };
  try {
    return call.sink.meteredUsage();
  } catch (error) {
    call.logger.error({ reqId: call.id, err: error }, 'counting the usage failed');
    const usage = call.sink.usage;
    return { usage, source: usage ? 'upstream' : 'estimate' };
  }
}

/** The route's decision and, after a retry or fallback, each attempt: what `x-moat-route` said and more. */
function routeReason(call: Call): string | null {
  const base = call.route?.reason ?? (call.target ? `model:${call.target.entry.name}` : null);
  if (base === null || call.attempts.length < 2) return base;
  return `${base}; attempts: ${attemptsHeader(call.attempts)}`.slice(0, 1000);
}

/**
 * The meter stage: one ledger row per authenticated request to a model endpoint — answered, failed
 * or abandoned — priced from the runtime's price book; the cost goes to the client as `x-moat-cost`.
 */
export function createMeter(ledger: LedgerSink): (call: Call) => void {
  return (call) => {
    if (!METERED.has(call.endpoint) || call.key === null) return;
    const { outcome, target } = call;
    const billed = billedUsage(call);
    // What the metrics and the log line report too.
    outcome.usage = billed.usage;
    const { row } = buildLedgerRow(
      {
        requestId: call.id,
        keyId: call.key.id,
        tenantId: call.key.tenantId,
        requestedModel: call.requestedModel ?? '',
        servedModel: target?.upstreamModel ?? '',
        providerName: target?.provider.name ?? '',
        providerType: target?.provider.type ?? '',
        usage: billed.usage,
        usageSource: billed.source,
        status: finalStatus(outcome),
        errorCode: outcome.errorCode,
        latencyMs: performance.now() - call.startedAt,
        ttftMs: outcome.ttftMs,
        routeReason: routeReason(call),
        attempts: Math.max(1, call.attempts.length),
        flags: call.flags,
        createdAt: Date.now(),
      },
      call.runtime.prices,
      call.runtime.config.savings.baseline ?? null,
    );
    outcome.costMicros = row.costMicros;
    recordCostMetrics(call.metrics, row);
    ledger.record(row);
  };
}
