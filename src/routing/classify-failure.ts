import type { FailureClass } from '../config/index.ts';
import type { ErrorCode, MoatError } from '../errors/index.ts';

/** What kind of failure an upstream attempt ended in; `client_error` never falls back or trips a breaker. */
export type AttemptFailure = FailureClass | 'client_error';

const CLASS_OF: Partial<Record<ErrorCode, FailureClass>> = {
  upstream_error: 'server_error',
  upstream_overloaded: 'server_error',
  upstream_invalid_response: 'server_error',
  // Moat's provider credentials were refused: this upstream is unusable, another may not be.
  upstream_auth_failed: 'server_error',
  upstream_rate_limited: 'rate_limited',
  upstream_timeout: 'timeout',
  upstream_idle_timeout: 'timeout',
  upstream_unreachable: 'connection',
  upstream_not_found: 'not_found',
  capacity_queue_full: 'capacity',
  capacity_queue_timeout: 'capacity',
  capacity_unavailable: 'capacity',
};

export function classifyFailure(error: MoatError): AttemptFailure {
  return classifyErrorCode(error.code);
}

/** The class of an error code; codes of no upstream failure class are client errors. */
export function classifyErrorCode(code: string): AttemptFailure {
  return CLASS_OF[code as ErrorCode] ?? 'client_error';
}

/**
 * Failures that say the upstream itself is unwell: they count toward its circuit breaker. A refused
 * provider credential falls back but does not trip it: the fix is an operator's, and the next request
 * after the fix should not wait for the breaker.
 */
export function tripsBreaker(failure: AttemptFailure, code?: ErrorCode): boolean {
  if (code === 'upstream_auth_failed') return false;
  return failure === 'server_error' || failure === 'timeout' || failure === 'connection';
}

/** Failures worth trying again on the same target after a pause. */
export function retriesSameTarget(failure: AttemptFailure): boolean {
  return failure === 'server_error' || failure === 'timeout' || failure === 'connection' || failure === 'rate_limited';
}
