import { classOfErrorCode } from '../sla/index.ts';
import { classifyFailure, parseRetryAfter } from '../routing/index.ts';
import type { AttemptRecord, Call } from './call.ts';

/** One SLA sample per attempt the upstream answered or failed; none when the client left first. */
function recordSla(call: Call, attempt: AttemptRecord, elapsedMs: number): void {
  if (call.sla === null) return;
  const outcome = attempt.failure === null ? (attempt.status === null ? null : 'ok') : classOfErrorCode(attempt.failure.code);
  if (outcome === null || (outcome === 'ok' && call.outcome.clientClosed)) return;
  call.sla.record(attempt.target.provider.name, { at: Date.now(), outcome, latencyMs: elapsedMs, ttftMs: outcome === 'ok' ? attempt.firstTokenMs : null });
}

/**
 * After each upstream attempt: the upstream's breaker and latency average learn from it, and the SLA
 * windows get a sample.
 */
export function recordAttempt(call: Call, attempt: AttemptRecord): void {
  const upstream = attempt.target.provider.name;
  const elapsed = attempt.endedMs ?? performance.now() - attempt.startedAt;
  recordSla(call, attempt, elapsed);
  if (attempt.failure === null) {
    // A client that left before the upstream answered says nothing about the upstream's health.
    if (attempt.status === null) {
      call.health.abandon(upstream);
      return;
    }
    call.health.success(upstream, attempt.headersMs);
    call.metrics.upstreamAttempts.inc({ upstream, result: 'ok' });
    if (call.attempts.length > 1 && call.route) call.metrics.fallbacks.inc({ route: call.route.name });
    return;
  }
  const failure = classifyFailure(attempt.failure);
  call.metrics.upstreamAttempts.inc({ upstream, result: failure });
  // Refused before it reached the upstream (an option it cannot take, its capacity queue): no verdict.
  if (attempt.status === null && (failure === 'client_error' || failure === 'capacity')) {
    call.health.abandon(upstream);
    return;
  }
  call.health.failure(upstream, failure, elapsed, parseRetryAfter(attempt.failure.retryAfter, Date.now()), attempt.failure.code);
}
