import { MoatError } from '../errors/index.ts';
import { formatOpenAIDuration } from './rate-limit-headers.ts';
import type { CheckState, LimitCheck } from './rate-limit-store.ts';

const NAMES = { requests: 'requests per minute (RPM)', tokens: 'tokens per minute (TPM)', concurrent: 'concurrent requests' } as const;
const CODES = { requests: 'rate_limit_exceeded', tokens: 'token_rate_limit_exceeded', concurrent: 'concurrency_limit_exceeded' } as const;

/** A refused admission, ready to send: the error, and how long to wait (null: retrying will not help). */
export interface Refusal {
  error: MoatError;
  /** The check that decided it. */
  check: LimitCheck;
  retryAfterMs: number | null;
}

/**
 * The 429 for a refused admission, worded as OpenAI words its own ("Rate limit reached for … on …:
 * Limit 60, Remaining 0. Please try again in 1.5s."). When several checks refused, the client must wait
 * for the slowest; a token estimate larger than a whole limit can never pass, so it is not retryable.
 */
export function refusalFor(checks: readonly LimitCheck[], states: readonly CheckState[], tokens: number): Refusal {
  let worst = -1;
  checks.forEach((_, i) => {
    const wait = states[i]!.retryAfterMs;
    if (wait > 0 && (worst === -1 || wait > states[worst]!.retryAfterMs)) worst = i;
  });
  const check = checks[worst]!;
  const wait = states[worst]!.retryAfterMs;
  if (wait === Infinity) {
    const error = new MoatError(
      CODES[check.kind],
      `Request too large for ${NAMES[check.kind]} on ${check.scope}: Limit ${check.limit}, Requested ${tokens} (the prompt plus max_tokens). ` +
        'Send a shorter prompt or a lower max_tokens.',
      { shouldRetry: false },
    );
    return { error, check, retryAfterMs: null };
  }
  const message =
    check.kind === 'concurrent'
      ? `Concurrency limit reached on ${check.scope}: ${check.limit} requests in flight of ${check.limit} allowed. Retry when one has finished.`
      : `Rate limit reached for ${NAMES[check.kind]} on ${check.scope}: Limit ${check.limit}, Remaining ${states[worst]!.remaining}` +
        `${check.kind === 'tokens' ? `, Requested ${tokens}` : ''}. Please try again in ${formatOpenAIDuration(wait)}.`;
  const error = new MoatError(CODES[check.kind], message, { retryAfter: String(Math.max(1, Math.ceil(wait / 1000))), shouldRetry: true });
  return { error, check, retryAfterMs: Math.ceil(wait) };
}
