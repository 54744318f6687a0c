import type { Call } from './call.ts';

/**
 * Runs once per request, just before its last bytes are written (or when the client has gone): the
 * request is metered — ledger row journaled, cost known — before the client can have the whole
 * answer, so a process killed right after never owes the ledger a row for an answer it gave.
 */
export function finalize(call: Call): void {
  if (call.finalized) return;
  call.finalized = true;
  call.meter?.(call);
}
