import { randomUUID } from 'node:crypto';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Moat's own id for a request: always issued here, never taken from the caller, because it is the
 * ledger's key — a caller who repeated an id would otherwise be answered each time and billed once.
 * `req_` + 32 hex digits: the time in milliseconds (12), then the last 20 of a random UUID (74 random
 * bits). Ids that grow with time are appended at the end of the ledger's primary-key index instead
 * of landing on a random page of it: SQLite inserts them about twice as fast (decision 0009).
 */
export function newRequestId(now: number = Date.now()): string {
  return `req_${now.toString(16).padStart(12, '0')}${randomUUID().replaceAll('-', '').slice(12)}`;
}

/** The caller's own trace id (`x-client-request-id`, or an `x-request-id` it sent), when short and plain. */
export function clientRequestIdFor(clientHeader: string | string[] | undefined, requestIdHeader: string | string[] | undefined): string | null {
  for (const header of [clientHeader, requestIdHeader]) if (typeof header === 'string' && SAFE_ID.test(header)) return header;
  return null;
}
