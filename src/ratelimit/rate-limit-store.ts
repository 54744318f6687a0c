/** What a limit counts: requests per minute, tokens per minute, or requests in flight at once. */
export type LimitKind = 'requests' | 'tokens' | 'concurrent';

/** One counter a request must fit in, from one rule (rate-limit-policy.ts). */
export interface LimitCheck {
  /** The counter's name, unique per rule, kind and caller; a store adds its prefix. */
  readonly counter: string;
  readonly kind: LimitKind;
  /** Per minute for `requests` and `tokens`; at once for `concurrent`. */
  readonly limit: number;
  /** What the limit is on, for messages: "this key", "model gpt-4o for this key's tenant"… */
  readonly scope: string;
}

export interface CheckState {
  /** What is left after this admission (refused: before it). */
  remaining: number;
  /** Ms until the counter is back to its whole limit (0 for `concurrent`). */
  resetMs: number;
  /** 0: this check let the request in; Infinity: it never will (the cost exceeds the limit); else ms to wait. */
  retryAfterMs: number;
}

export interface AdmitResult {
  allowed: boolean;
  /** One per check, in the checks' order. */
  states: CheckState[];
}

/**
 * Where counters live: in this process (memory-store.ts) or in Redis, shared by replicas
 * (redis-store.ts). An admission takes every check or none.
 */
export interface RateLimitStore {
  readonly kind: 'memory' | 'redis';
  /** Counts 1 request, `tokens` tokens and 1 in-flight slot (held by `member`) on the checks of each kind. */
  admit(checks: readonly LimitCheck[], tokens: number, member: string): AdmitResult | Promise<AdmitResult>;
  /** Moves the `tokens` checks by `deltaTokens` (actual − reserved; negative refunds). */
  adjustTokens(checks: readonly LimitCheck[], deltaTokens: number): void | Promise<void>;
  /** Frees `member`'s in-flight slot on the `concurrent` checks. */
  release(checks: readonly LimitCheck[], member: string): void | Promise<void>;
  /** Resolves true once the store can answer, false after `timeoutMs` (stores that are always ready omit it). */
  waitUntilConnected?(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** Request cost for admission, by kind. */
export function costOf(kind: LimitKind, tokens: number): number {
  return kind === 'tokens' ? tokens : 1;
}
