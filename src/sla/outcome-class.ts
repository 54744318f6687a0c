import { classifyErrorCode } from '../routing/index.ts';
/** How one upstream attempt ended, as the SLA counts it. */
export const OUTCOME_CLASSES = ['ok', 'client_error', 'rate_limited', 'server_error', 'timeout', 'connection'] as const;
export type OutcomeClass = (typeof OUTCOME_CLASSES)[number];

/** Index of each class in a slice's counts. */
export const CLASS_INDEX: Readonly<Record<OutcomeClass, number>> = { ok: 0, client_error: 1, rate_limited: 2, server_error: 3, timeout: 4, connection: 5 };

/** One upstream attempt: when it ended (epoch ms), how, how long it took, and its time to first token (streams). */
export interface SlaSample {
  at: number;
  outcome: OutcomeClass;
  latencyMs: number;
  ttftMs: number | null;
}

/**
 * The class of a Moat error code raised by an upstream exchange, from routing's one table of failure
 * classes (src/routing/classify-failure.ts); null for codes Moat raises itself before or without asking
 * the upstream (a capacity queue, a refused option: no sample of the upstream at all). An upstream's
 * 401/403 (`upstream_auth_failed`) and 404 are 4xx answers about Moat's credentials or model name:
 * routing falls back on them, but they say nothing of the provider's health, so here they are client
 * errors.
 */
export function classOfErrorCode(code: string): OutcomeClass | null {
  if (code === 'upstream_bad_request' || code === 'upstream_auth_failed') return 'client_error';
  const kind = classifyErrorCode(code);
  if (kind === 'not_found') return 'client_error';
  return kind === 'capacity' || kind === 'client_error' ? null : kind;
}
