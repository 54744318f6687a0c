import { gcraAdjust, gcraAdmit, PERIOD_MS } from './gcra.ts';
import { costOf, type AdmitResult, type CheckState, type LimitCheck, type RateLimitStore } from './rate-limit-store.ts';

/** A full concurrency limit gives no time to wait for; clients are told to come back in this long. */
export const CONCURRENT_RETRY_MS = 1000;

/**
 * Counters in this process: one GCRA state per rate counter, one count per concurrency counter.
 * Synchronous, so an admission is atomic on the event loop. Full buckets are forgotten by `sweep`.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly kind = 'memory';
  readonly #clock: () => number;
  readonly #tats = new Map<string, number>();
  readonly #inFlight = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;

  constructor(options: { clock?: () => number } = {}) {
    this.#clock = options.clock ?? Date.now;
  }

  admit(checks: readonly LimitCheck[], tokens: number): AdmitResult {
    const now = this.#clock();
    const states: CheckState[] = [];
    const tats: number[] = [];
    let allowed = true;
    for (const check of checks) {
      if (check.kind === 'concurrent') {
        const used = this.#inFlight.get(check.counter) ?? 0;
        const fits = used < check.limit;
        allowed &&= fits;
        states.push({ remaining: Math.max(0, check.limit - used - (fits ? 1 : 0)), resetMs: 0, retryAfterMs: fits ? 0 : CONCURRENT_RETRY_MS });
        tats.push(0);
        continue;
      }
      const outcome = gcraAdmit(this.#tats.get(check.counter), now, check.limit, costOf(check.kind, tokens), PERIOD_MS);
      allowed &&= outcome.allowed;
      states.push({ remaining: outcome.remaining, resetMs: outcome.resetMs, retryAfterMs: outcome.retryAfterMs });
      tats.push(outcome.tat);
    }
    if (allowed) {
      checks.forEach((check, i) => {
        if (check.kind === 'concurrent') this.#inFlight.set(check.counter, (this.#inFlight.get(check.counter) ?? 0) + 1);
        else this.#tats.set(check.counter, tats[i]!);
      });
    }
    return { allowed, states };
  }

  adjustTokens(checks: readonly LimitCheck[], deltaTokens: number): void {
    const now = this.#clock();
    for (const check of checks) {
      if (check.kind !== 'tokens') continue;
      const tat = gcraAdjust(this.#tats.get(check.counter), now, check.limit, deltaTokens, PERIOD_MS);
      if (tat === undefined) this.#tats.delete(check.counter);
      else this.#tats.set(check.counter, tat);
    }
  }

  release(checks: readonly LimitCheck[]): void {
    for (const check of checks) {
      if (check.kind !== 'concurrent') continue;
      const used = (this.#inFlight.get(check.counter) ?? 0) - 1;
      if (used > 0) this.#inFlight.set(check.counter, used);
      else this.#inFlight.delete(check.counter);
    }
  }

  /** In flight on a concurrency counter (tests, diagnostics). */
  inFlight(counter: string): number {
    return this.#inFlight.get(counter) ?? 0;
  }

  /** Counters held in memory. */
  get size(): number {
    return this.#tats.size + this.#inFlight.size;
  }

  /** Forgets counters whose bucket is full again: they mean the same as no counter. */
  sweep(): void {
    const now = this.#clock();
    for (const [counter, tat] of this.#tats) if (tat <= now) this.#tats.delete(counter);
  }

  /** Sweeps every minute, so counters of callers gone quiet do not pile up. */
  start(): void {
    this.#timer ??= setInterval(() => this.sweep(), PERIOD_MS);
    this.#timer.unref();
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
