import type { Usage } from '../canonical/index.ts';
import { computeCost } from '../pricing/index.ts';
import type { PriceBook } from '../pricing/index.ts';
import type { EpochMs, LedgerRow, UsageSource } from '../storage/index.ts';

/** What the gateway knows when a request ends; `createdAt` also picks the price in force. */
export interface LedgerRowInput {
  requestId: string;
  keyId: string;
  tenantId: string;
  requestedModel: string;
  /** The upstream model, the one that is billed and priced. */
  servedModel: string;
  providerName: string;
  providerType: string;
  /** Null when the upstream reported none and the caller has no tokenizer count either. */
  usage: Usage | null;
  usageSource: UsageSource;
  status: number;
  errorCode: string | null;
  latencyMs: number;
  ttftMs: number | null;
  routeReason: string | null;
  attempts: number;
  flags: readonly string[];
  createdAt: EpochMs;
}

/** The premium model a request's usage is also priced at (`savings.baseline`), to show what routing saved. */
export interface SavingsBaseline {
  /** A provider type of the price catalog (`openai`, `anthropic`…) or a provider name with `pricing` overrides. */
  provider: string;
  model: string;
}

export interface BuiltLedgerRow {
  row: LedgerRow;
  /** False when neither config nor catalog prices the served model: the row's cost is then 0. */
  priced: boolean;
}

const NO_USAGE: Usage = { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 };

/**
 * Pure: the ledger row for one request, its cost from the price in force at `createdAt`, and the same
 * usage priced at `baseline` (null without one, or when the baseline has no price).
 */
export function buildLedgerRow(input: LedgerRowInput, prices: PriceBook, baseline: SavingsBaseline | null = null): BuiltLedgerRow {
  const usage = input.usage ?? NO_USAGE;
  const at = new Date(input.createdAt);
  const resolved = prices.resolve(input.providerType, input.servedModel, at, input.providerName);
  const baselinePrice = baseline && prices.resolve(baseline.provider, baseline.model, at, baseline.provider);
  const row: LedgerRow = {
    requestId: input.requestId,
    keyId: input.keyId,
    tenantId: input.tenantId,
    requestedModel: input.requestedModel,
    servedModel: input.servedModel,
    provider: input.providerName,
    inputTokens: usage.inputTokens,
    cachedInputTokens: usage.cachedInputTokens,
    cacheWriteTokens: usage.cacheWriteTokens,
    outputTokens: usage.outputTokens,
    reasoningTokens: usage.reasoningTokens,
    costMicros: resolved ? computeCost(usage, resolved.price).costMicros : 0n,
    // Zero tokens are not the upstream's count: never let them pass for one.
    usageSource: input.usage ? input.usageSource : 'estimate',
    // Timings come from performance.now(); the columns are integers.
    latencyMs: Math.round(input.latencyMs),
    ttftMs: input.ttftMs === null ? null : Math.round(input.ttftMs),
    status: input.status,
    errorCode: input.errorCode,
    routeReason: input.routeReason,
    attempts: input.attempts,
    flags: input.flags.length === 0 ? null : input.flags.join(','),
    baselineCostMicros: baselinePrice ? computeCost(usage, baselinePrice.price).costMicros : null,
    createdAt: input.createdAt,
  };
  return { row, priced: resolved !== null };
}
