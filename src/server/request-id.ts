import { randomFillSync } from 'node:crypto';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const RANDOM_BYTES = 10;
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
const pool = Buffer.alloc(RANDOM_BYTES * 400);
let poolAt = pool.length;

/**
 * Moat's own id for a request: always issued here, never taken from the caller, because it is the
 * ledger's key — a caller who repeated an id would otherwise be answered each time and billed once.
 * `req_` + 32 hex digits: the time in milliseconds (12), then 80 random bits (20). Ids that grow with
 * time are appended at the end of the ledger's primary-key index instead of landing on a random page
 * of it: SQLite inserts them about twice as fast (decision 0009). The random bytes come from a pool
 * filled 400 ids at a time, read through a byte-to-hex table: half the time of formatting a random
 * UUID, whether Moat is busy or has been idle (bench/micro/cold-path.ts).
 */
export function newRequestId(now: number = Date.now()): string {
  if (poolAt + RANDOM_BYTES > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  let id = `req_${now.toString(16).padStart(12, '0')}`;
  for (let i = 0; i < RANDOM_BYTES; i++) id += HEX[pool[poolAt++]!];
  return id;
}

/** The caller's own trace id (`x-client-request-id`, or an `x-request-id` it sent), when short and plain. */
export function clientRequestIdFor(clientHeader: string | string[] | undefined, requestIdHeader: string | string[] | undefined): string | null {
  for (const header of [clientHeader, requestIdHeader]) if (typeof header === 'string' && SAFE_ID.test(header)) return header;
  return null;
}
