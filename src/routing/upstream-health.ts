import type { RoutingConfig } from '../config/index.ts';
import type { ErrorCode } from '../errors/index.ts';
import type { AttemptFailure } from './classify-failure.ts';
import { tripsBreaker } from './classify-failure.ts';
import { CircuitBreaker, type BreakerState } from './circuit-breaker.ts';

/** Why a target is passed over. */
export type Unavailable = 'breaker_open' | 'probe_down';

interface UpstreamState {
  readonly breaker: CircuitBreaker;
  /** Exponentially weighted average of the time to response headers. */
  latencyMs: number | null;
  latencyAt: number;
  /** The upstream asked for a pause (429 with `Retry-After`) until then. */
  coolingUntil: number;
  /** What the active probe last concluded; `unknown` without probes. */
  probe: 'unknown' | 'up' | 'down';
}

export interface UpstreamHealthView {
  upstream: string;
  breaker: BreakerState;
  retryInMs: number;
  latencyEwmaMs: number | null;
  probe: 'unknown' | 'up' | 'down';
  coolingForMs: number;
}

/**
 * What the gateway knows of each upstream's health, by provider name: its circuit breaker, a latency
 * average for `least-latency` balancing, a `Retry-After` pause, and the active probe's verdict. Kept
 * across config reloads, like the capacity slots, so a reload does not forget an outage.
 */
export class UpstreamHealth {
  private config: RoutingConfig;
  private readonly now: () => number;
  private readonly states = new Map<string, UpstreamState>();
  onTransition: ((upstream: string, from: BreakerState, to: BreakerState) => void) | null = null;

  constructor(config: RoutingConfig, now: () => number = Date.now) {
    this.config = config;
    this.now = now;
  }

  configure(config: RoutingConfig): void {
    this.config = config;
    for (const state of this.states.values()) state.breaker.configure(config.breaker);
  }

  private state(upstream: string): UpstreamState {
    let state = this.states.get(upstream);
    if (state === undefined) {
      const breaker = new CircuitBreaker(this.config.breaker, this.now);
      breaker.onTransition = (from, to) => this.onTransition?.(upstream, from, to);
      state = { breaker, latencyMs: null, latencyAt: 0, coolingUntil: 0, probe: 'unknown' };
      this.states.set(upstream, state);
    }
    return state;
  }

  /** Why the upstream should not be tried now, or null when it may be. Takes no trial place. */
  unavailable(upstream: string): Unavailable | null {
    const state = this.states.get(upstream);
    if (state === undefined) return null;
    if (state.probe === 'down') return 'probe_down';
    if (!state.breaker.admits) return 'breaker_open';
    return null;
  }

  /**
   * Whether the upstream asked for a pause (429 with `Retry-After`) that has not ended: its targets
   * go after the others rather than being skipped, since the limit may have been another key's or
   * another model's, and a route of one target still passes the 429 on.
   */
  cooling(upstream: string): boolean {
    const state = this.states.get(upstream);
    return state !== undefined && state.coolingUntil > this.now();
  }

  /** Just before dispatch: takes a half-open trial place; false when the breaker refuses. */
  tryPass(upstream: string): boolean {
    return this.state(upstream).breaker.tryPass();
  }

  /** Milliseconds until the upstream may be tried again (breaker or pause), for `Retry-After`. */
  retryInMs(upstream: string): number {
    const state = this.states.get(upstream);
    if (state === undefined) return 0;
    return Math.max(state.breaker.retryInMs, state.coolingUntil - this.now(), 0);
  }

  latencyMs(upstream: string): number | null {
    return this.states.get(upstream)?.latencyMs ?? null;
  }

  success(upstream: string, headersMs: number | null): void {
    const state = this.state(upstream);
    state.breaker.success();
    if (headersMs !== null) this.observeLatency(state, headersMs);
  }

  failure(upstream: string, failure: AttemptFailure, elapsedMs: number, retryAfterMs: number | null, code?: ErrorCode): void {
    const state = this.state(upstream);
    if (tripsBreaker(failure, code)) {
      state.breaker.failure();
      // A timeout or reset is slow too: let balancing see it.
      this.observeLatency(state, elapsedMs);
    } else if (failure === 'client_error' || failure === 'not_found') state.breaker.success();
    else state.breaker.abandon();
    if (failure === 'rate_limited' && retryAfterMs !== null) state.coolingUntil = Math.max(state.coolingUntil, this.now() + retryAfterMs);
  }

  /** An attempt that passed the breaker and ended with no verdict (the client left before an answer). */
  abandon(upstream: string): void {
    this.states.get(upstream)?.breaker.abandon();
  }

  probeOf(upstream: string): 'unknown' | 'up' | 'down' {
    return this.states.get(upstream)?.probe ?? 'unknown';
  }

  setProbe(upstream: string, up: boolean): void {
    this.state(upstream).probe = up ? 'up' : 'down';
  }

  views(): UpstreamHealthView[] {
    return [...this.states.entries()].map(([upstream, s]) => ({
      upstream,
      breaker: s.breaker.state,
      retryInMs: s.breaker.retryInMs,
      latencyEwmaMs: s.latencyMs === null ? null : Math.round(s.latencyMs * 10) / 10,
      probe: s.probe,
      coolingForMs: Math.max(0, s.coolingUntil - this.now()),
    }));
  }

  /** Time-based decay: a sample counts half as much after `latencyHalfLifeMs`, however busy the upstream. */
  private observeLatency(state: UpstreamState, ms: number): void {
    const now = this.now();
    if (state.latencyMs === null) state.latencyMs = ms;
    else {
      const weight = 1 - 2 ** (-(now - state.latencyAt) / this.config.latencyHalfLifeMs);
      // At least a small weight, so a burst at one instant still moves the average.
      const alpha = Math.max(weight, 0.1);
      state.latencyMs += alpha * (ms - state.latencyMs);
    }
    state.latencyAt = now;
  }
}
