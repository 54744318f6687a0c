import type { AttemptRecord, Call, Target } from './call.ts';

/** Starts recording one upstream attempt of the call. */
export function newAttempt(call: Call, target: Target): AttemptRecord {
  const attempt: AttemptRecord = { target, startedAt: performance.now(), status: null, headersMs: null, firstTokenMs: null, endedMs: null, failure: null };
  call.attempts.push(attempt);
  call.target = target;
  return attempt;
}
