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

/** `x-moat-cost`: micro-USD as a decimal amount of USD, e.g. 1234n → "0.001234". */
export function formatCost(micros: bigint): string {
  const whole = micros / 1_000_000n;
  const fraction = (micros % 1_000_000n).toString().padStart(6, '0');
  return `${whole}.${fraction}`;
}
