import type { BreakerConfig } from '../config/index.ts';

export type BreakerState = 'closed' | 'open' | 'half-open';

/**
 * One upstream's circuit breaker. Closed: requests pass, consecutive failures are counted; at
 * `failureThreshold` it opens. Open: requests are refused until `openMs` has passed. Half-open:
 * `halfOpenRequests` trial requests pass; if all succeed it closes, if one fails it opens again.
 * The clock is passed in, so transitions are tested without waiting.
 */
export class CircuitBreaker {
  private config: BreakerConfig;
  private readonly now: () => number;
  private current: BreakerState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private trialsStarted = 0;
  private trialsSucceeded = 0;
  /** Called on every transition, for logs and metrics. */
  onTransition: ((from: BreakerState, to: BreakerState) => void) | null = null;

  constructor(config: BreakerConfig, now: () => number) {
    this.config = config;
    this.now = now;
  }

  configure(config: BreakerConfig): void {
    this.config = config;
  }

  get state(): BreakerState {
    if (this.current === 'open' && this.now() - this.openedAt >= this.config.openMs) this.moveTo('half-open');
    return this.current;
  }

  /** Milliseconds until an open breaker lets a trial through; 0 when it is not open. */
  get retryInMs(): number {
    return this.state === 'open' ? Math.max(0, this.openedAt + this.config.openMs - this.now()) : 0;
  }

  /** Whether a request may go now; in half-open, taking one of the trial places. */
  tryPass(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open') return false;
    if (this.trialsStarted >= this.config.halfOpenRequests) return false;
    this.trialsStarted++;
    return true;
  }

  /** Whether a request could go now, without taking a trial place (for ordering candidates). */
  get admits(): boolean {
    const state = this.state;
    return state === 'closed' || (state === 'half-open' && this.trialsStarted < this.config.halfOpenRequests);
  }

  success(): void {
    if (this.current === 'half-open') {
      this.trialsSucceeded++;
      if (this.trialsSucceeded >= this.config.halfOpenRequests) this.moveTo('closed');
      return;
    }
    this.failures = 0;
  }

  /**
   * A request that passed ended without saying anything of the upstream's health (the client left
   * first, a capacity queue refused it, a rate limit): in half-open, its trial place is freed.
   */
  abandon(): void {
    if (this.current === 'half-open' && this.trialsStarted > this.trialsSucceeded) this.trialsStarted--;
  }

  failure(): void {
    if (this.current === 'half-open') {
      this.open();
      return;
    }
    if (this.current === 'open') return;
    this.failures++;
    if (this.failures >= this.config.failureThreshold) this.open();
  }

  private open(): void {
    this.openedAt = this.now();
    this.moveTo('open');
  }

  private moveTo(next: BreakerState): void {
    const from = this.current;
    if (from === next) return;
    this.current = next;
    this.failures = 0;
    this.trialsStarted = 0;
    this.trialsSucceeded = 0;
    this.onTransition?.(from, next);
  }
}
