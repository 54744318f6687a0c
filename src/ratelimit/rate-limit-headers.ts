import type { CheckState, LimitCheck } from './rate-limit-store.ts';

/** One limit as the response headers describe it. */
export interface LimitSummary {
  limit: number;
  remaining: number;
  /** Ms until it is back to its whole limit. */
  resetMs: number;
}

/** The most restrictive requests and tokens limits of a request (null: none of that kind applied). */
export interface LimitView {
  requests: LimitSummary | null;
  tokens: LimitSummary | null;
}

function tighter(a: LimitSummary, b: LimitSummary): boolean {
  if (a.remaining !== b.remaining) return a.remaining < b.remaining;
  if (a.limit !== b.limit) return a.limit < b.limit;
  return a.resetMs > b.resetMs;
}

/** Of all the checks of each kind, the one with the least left (then the smallest limit). */
export function summarizeLimits(checks: readonly LimitCheck[], states: readonly CheckState[]): LimitView {
  const view: LimitView = { requests: null, tokens: null };
  checks.forEach((check, i) => {
    if (check.kind === 'concurrent') return;
    const state = states[i]!;
    const summary: LimitSummary = { limit: check.limit, remaining: state.remaining, resetMs: state.resetMs };
    const current = view[check.kind];
    if (current === null || tighter(summary, current)) view[check.kind] = summary;
  });
  return view;
}

/**
 * A duration as OpenAI writes `x-ratelimit-reset-*`: Go's `time.Duration` form (`12ms`, `1s`,
 * `17.28s`, `6m0s`, `1h2m3s`), to the millisecond, rounded up so a client never comes back early.
 * https://platform.openai.com/docs/guides/rate-limits#rate-limits-in-headers
 */
export function formatOpenAIDuration(ms: number): string {
  const total = Math.ceil(ms);
  if (total <= 0) return '0s';
  if (total < 1000) return `${total}ms`;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const millis = total % 60_000;
  const seconds = millis % 1000 === 0 ? String(millis / 1000) : (millis / 1000).toFixed(3).replace(/0+$/, '');
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}

/** RFC 3339, whole seconds, rounded up: how Anthropic writes `anthropic-ratelimit-*-reset`. */
export function formatRfc3339(epochMs: number): string {
  return new Date(Math.ceil(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * The rate-limit headers in the client's API: OpenAI's `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`
 * (https://platform.openai.com/docs/guides/rate-limits#rate-limits-in-headers) or Anthropic's
 * `anthropic-ratelimit-{requests,tokens}-{limit,remaining,reset}`
 * (https://docs.anthropic.com/en/api/rate-limits#response-headers).
 */
export function rateLimitHeaders(view: LimitView, anthropic: boolean, nowMs: number): Array<[string, string]> {
  const headers: Array<[string, string]> = [];
  for (const kind of ['requests', 'tokens'] as const) {
    const summary = view[kind];
    if (summary === null) continue;
    if (anthropic) {
      headers.push(
        [`anthropic-ratelimit-${kind}-limit`, String(summary.limit)],
        [`anthropic-ratelimit-${kind}-remaining`, String(summary.remaining)],
        [`anthropic-ratelimit-${kind}-reset`, formatRfc3339(nowMs + summary.resetMs)],
      );
    } else {
      headers.push(
        [`x-ratelimit-limit-${kind}`, String(summary.limit)],
        [`x-ratelimit-remaining-${kind}`, String(summary.remaining)],
        [`x-ratelimit-reset-${kind}`, formatOpenAIDuration(summary.resetMs)],
      );
    }
  }
  return headers;
}
