import { createHash, randomUUID } from 'node:crypto';
import type { LedgerRow } from '../ledger-store.ts';

/** A name no other test in the run uses. */
export function unique(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** A fresh key's sha256 hex and display prefix, as the key issuer will produce them. */
export function fakeKey(): { keyHash: string; keyPrefix: string } {
  const key = `sk-moat-${randomUUID()}`;
  return { keyHash: createHash('sha256').update(key).digest('hex'), keyPrefix: key.slice(0, 8) };
}

export function ledgerRow(fields: Partial<LedgerRow> & Pick<LedgerRow, 'requestId'>): LedgerRow {
  return {
    keyId: 'key-a',
    tenantId: 'tenant-a',
    requestedModel: 'gpt-4o',
    servedModel: 'gpt-4o-2024-08-06',
    provider: 'openai',
    inputTokens: 100,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: 20,
    reasoningTokens: 0,
    costMicros: 450n,
    usageSource: 'upstream',
    latencyMs: 900,
    ttftMs: 250,
    status: 200,
    errorCode: null,
    routeReason: null,
    attempts: 1,
    flags: null,
    baselineCostMicros: null,
    createdAt: Date.UTC(2030, 0, 1),
    ...fields,
  };
}
