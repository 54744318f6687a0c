import type { LedgerRow } from '../storage/index.ts';

/** A ledger row for tests; the cost is above 2^53 so a lossy round trip through a number would show. */
export function ledgerRow(requestId: string, over: Partial<LedgerRow> = {}): LedgerRow {
  return {
    requestId, keyId: 'key-1', tenantId: 'tenant-1', requestedModel: 'fast', servedModel: 'gpt-4.1-2025-04-14', provider: 'openai',
    inputTokens: 2006, cachedInputTokens: 1920, cacheWriteTokens: 0, outputTokens: 300, reasoningTokens: 0, costMicros: 9_007_199_254_740_993n,
    usageSource: 'upstream', latencyMs: 640, ttftMs: null, status: 200, errorCode: null, routeReason: null, attempts: 1, flags: null, baselineCostMicros: null, createdAt: Date.UTC(2026, 0, 1), ...over,
  };
}
