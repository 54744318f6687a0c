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
 * The class of a Moat error code raised by an upstream exchange; null for codes Moat raises itself
 * before or without asking the upstream (those are no sample of the upstream at all). An upstream's
 * 401/403 (`upstream_auth_failed`) is a 4xx about Moat's credentials, so it is a client error here: it
 * says nothing of the provider's health.
 */
export function classOfErrorCode(code: string): OutcomeClass | null {
  switch (code) {
    case 'upstream_bad_request':
    case 'upstream_not_found':
    case 'upstream_auth_failed':
      return 'client_error';
    case 'upstream_rate_limited':
      return 'rate_limited';
    case 'upstream_overloaded':
    case 'upstream_error':
    case 'upstream_invalid_response':
      return 'server_error';
    case 'upstream_timeout':
    case 'upstream_idle_timeout':
      return 'timeout';
    case 'upstream_unreachable':
      return 'connection';
    default:
      return null;
  }
}
