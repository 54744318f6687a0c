import type { EpochMs } from './tenant-store.ts';

/** Where a row's token counts came from: the upstream's report, our tokenizer, or an estimate. */
export type UsageSource = 'upstream' | 'tokenizer' | 'estimate';

/** One accepted request. Token counts are numbers; money is bigint micro-units (1e-6 of a dollar). */
export interface LedgerRow {
  requestId: string;
  keyId: string;
  tenantId: string;
  requestedModel: string;
  servedModel: string;
  provider: string;
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  costMicros: bigint;
  usageSource: UsageSource;
  latencyMs: number;
  ttftMs: number | null;
  status: number;
  errorCode: string | null;
  routeReason: string | null;
  /** Upstream attempts the request took: 1, or more after retries and fallbacks. */
  attempts: number;
  /** Comma-separated tags set by the request's stages (`reasoning_copied`, `pii:email`); never a detected value. */
  flags: string | null;
  /** The same usage priced at the configured premium baseline (`savings.baseline`); null when none or unpriced. */
  baselineCostMicros: bigint | null;
  createdAt: EpochMs;
}

/** `model` groups by the served model, the one that was billed; `day` by UTC calendar day; `request` gives one row per request. */
export type SpendGroupBy = 'key' | 'tenant' | 'model' | 'provider' | 'day' | 'request';

export interface SpendQuery {
  /** Inclusive. */
  from: EpochMs;
  /** Exclusive. */
  to: EpochMs;
  groupBy: SpendGroupBy;
  tenantId?: string;
  keyId?: string;
}

export interface SpendRow {
  /** The key id, tenant id, model, provider, request id, or day as `YYYY-MM-DD`. */
  group: string;
  requests: number;
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  costMicros: bigint;
  /** Sum of the rows' baseline costs; null when no row of the group has one. */
  baselineCostMicros: bigint | null;
  /** Baseline cost minus the cost of the same rows (those with a baseline); null when none has one. */
  savingsMicros: bigint | null;
}

export interface LedgerStore {
  /**
   * Writes the rows whose request id is not in the ledger yet, so a replayed journal never bills
   * twice; returns how many were new.
   */
  insertBatch(rows: readonly LedgerRow[]): Promise<number>;
  get(requestId: string): Promise<LedgerRow | undefined>;
  /** Sums per group over `[from, to)`, ordered by group. */
  spend(query: SpendQuery): Promise<SpendRow[]>;
}
