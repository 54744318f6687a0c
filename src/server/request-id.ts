import { randomUUID } from 'node:crypto';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Moat's own id for a request: always issued here, never taken from the caller, because it is the
 * ledger's key — a caller who repeated an id would otherwise be answered each time and billed once.
 */
export function newRequestId(): string {
  return `req_${randomUUID().replaceAll('-', '')}`;
}

/** The caller's own trace id (`x-client-request-id`, or an `x-request-id` it sent), when short and plain. */
export function clientRequestIdFor(clientHeader: string | string[] | undefined, requestIdHeader: string | string[] | undefined): string | null {
  for (const header of [clientHeader, requestIdHeader]) if (typeof header === 'string' && SAFE_ID.test(header)) return header;
  return null;
}
