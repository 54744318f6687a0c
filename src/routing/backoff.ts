import type { RetryConfig } from '../config/index.ts';

/** `Retry-After` as seconds or an HTTP date → milliseconds from `now`; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/**
 * How long to wait before retry number `retry` (0 for the first) of the same target: exponential
 * backoff with full jitter (a random delay up to the exponential bound, so retries of many clients do
 * not arrive together), or the upstream's `Retry-After` when it gave one. null: the upstream asked
 * for a longer wait than `maxDelayMs`, so the request moves on to the next target instead.
 */
export function retryDelay(retry: number, config: RetryConfig, retryAfterMs: number | null, random: () => number): number | null {
  if (retryAfterMs !== null) return retryAfterMs <= config.maxDelayMs ? retryAfterMs : null;
  const bound = Math.min(config.maxDelayMs, config.baseDelayMs * 2 ** retry);
  return Math.round(random() * bound);
}
