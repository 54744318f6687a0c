import type { CanonicalRequest } from '../canonical/index.ts';
import { MoatError, toMoatError } from '../errors/index.ts';
import { classifyFailure, parseRetryAfter, retriesSameTarget, retryDelay, type AttemptFailure } from '../routing/index.ts';
import { attemptsHeader } from './attempts-header.ts';
import type { Call, RoutePlan, Target } from './call.ts';
import { forwardChat } from './forward-chat.ts';
import { newAttempt } from './new-attempt.ts';
import { recordAttempt } from './record-attempt.ts';
import { sendError } from './send-error.ts';

/** Waits `ms`, or less if the client goes away meanwhile. */
function pause(call: Call, ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      call.res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    call.res.once('close', done);
  });
}

function clientGone(call: Call): boolean {
  return call.outcome.clientClosed || call.res.destroyed;
}

/** One attempt on one target: its failure if it failed before the client saw anything, else null. */
async function attemptOnce(call: Call, target: Target, request: CanonicalRequest, wire: Record<string, unknown>, body: Buffer): Promise<MoatError | null> {
  const attempt = newAttempt(call, target);
  let failure: MoatError | null;
  try {
    failure = await forwardChat(call, target, request, wire, body, attempt, true);
  } catch (error) {
    // Capacity refusals and encoding errors are thrown before dispatch; only the first fall back.
    failure = toMoatError(error);
    attempt.failure = failure;
    attempt.endedMs = performance.now() - attempt.startedAt;
    if (classifyFailure(failure) !== 'capacity') {
      recordAttempt(call, attempt);
      throw error;
    }
  }
  recordAttempt(call, attempt);
  if (failure !== null) call.headers['x-moat-attempts'] = attemptsHeader(call.attempts);
  return failure;
}

/** Whether the request should move on after `failure`, and how long to wait before the same target again. */
function nextStep(plan: RoutePlan, failure: MoatError, retry: number): { fallBack: boolean; retryAfterMs: number | null } {
  const kind: AttemptFailure = classifyFailure(failure);
  if (kind === 'client_error' || !plan.fallbackOn.has(kind)) return { fallBack: false, retryAfterMs: null };
  if (!retriesSameTarget(kind) || retry >= plan.retry.maxRetries) return { fallBack: true, retryAfterMs: null };
  return { fallBack: true, retryAfterMs: retryDelay(retry, plan.retry, parseRetryAfter(failure.retryAfter, Date.now()), Math.random) };
}

/**
 * Stages 4–5 with reliability (docs/routing.md): tries the plan's targets in order, each up to
 * `retry.maxRetries` more times after a retryable failure (backoff with jitter, or the upstream's
 * `Retry-After` when it fits under `maxDelayMs`), then falls back to the next, for the failure
 * classes in `fallbackOn`, up to `maxAttempts` in all. Only failures before the first byte to the
 * client can fall back; a client error (4xx) is answered at once. `x-moat-attempts` lists them.
 */
export async function forwardWithFallbacks(call: Call, plan: RoutePlan, request: CanonicalRequest, wire: Record<string, unknown>, body: Buffer): Promise<void> {
  let last: MoatError | null = null;
  for (const target of plan.candidates) {
    for (let retry = 0; call.attempts.length < plan.maxAttempts; retry++) {
      // A breaker may have opened since the plan (other requests failed meanwhile).
      if (!call.health.tryPass(target.provider.name)) {
        last ??= new MoatError('no_healthy_target', `Upstream '${target.provider.name}' is unavailable now (circuit breaker open).`, { retryAfter: '1' });
        break;
      }
      const failure = await attemptOnce(call, target, request, wire, body);
      if (failure === null || clientGone(call)) return;
      last = failure;
      const step = nextStep(plan, failure, retry);
      if (!step.fallBack) {
        sendError(call, failure);
        return;
      }
      if (step.retryAfterMs === null) break;
      await pause(call, step.retryAfterMs);
      if (clientGone(call)) return;
    }
    if (call.attempts.length >= plan.maxAttempts) break;
  }
  sendError(call, finalError(call, plan, last));
}

/**
 * What the client hears when every attempt failed: the last failure; or, for a request privacy keeps
 * on the local tier, `no_local_target` naming it, since the premium targets that might have answered
 * were never an option.
 */
function finalError(call: Call, plan: RoutePlan, last: MoatError | null): MoatError {
  if (call.requiredTier === 'local') {
    const cause = last === null ? 'none could be tried' : `the last failed with ${last.code}`;
    return new MoatError('no_local_target', `This request must stay on the local tier (${call.requiredTierReason ?? 'policy'}) and no local target of '${plan.name}' answered (${cause}); nothing was sent to a premium target.`, {
      retryAfter: last?.retryAfter ?? '1',
    });
  }
  return last ?? new MoatError('no_healthy_target', `No target of '${plan.name}' could take the request.`, { retryAfter: '1' });
}
