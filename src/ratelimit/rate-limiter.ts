import type { RateLimitsConfig } from '../config/index.ts';
import { MoatError } from '../errors/index.ts';
import { MemoryRateLimitStore } from './memory-store.ts';
import { RateLimitPolicy, type AppliedLimits, type Caller, type LimitedModel } from './rate-limit-policy.ts';
import { summarizeLimits, type LimitView } from './rate-limit-headers.ts';
import type { AdmitResult, LimitCheck, RateLimitStore } from './rate-limit-store.ts';
import { refusalFor, type Refusal } from './refusal.ts';

/** What to do when Redis does not answer: count in this process instead, or refuse. */
export type OutagePolicy = 'failOpen' | 'failClosed';

export interface RateLimiterOptions {
  /** Redis, shared by every replica; without it every counter lives in this process. */
  shared?: RateLimitStore | null;
  memory?: MemoryRateLimitStore;
  clock?: () => number;
  /** After Redis failed, admissions skip it for this long (no request waits on a hung Redis). Default 500. */
  breakerMs?: number;
  /** Redis stopped answering: called once per outage. */
  onStoreDown?: (error: unknown, policy: OutagePolicy) => void;
  /** Redis answers again after an outage. */
  onStoreUp?: () => void;
  /** Each admission the outage policy decided (metrics). */
  onStoreFailure?: (policy: OutagePolicy) => void;
}

export type Admission =
  | { allowed: true; view: LimitView; grant: RateLimitGrant; store: RateLimitStore['kind'] }
  | { allowed: false; view: LimitView; refusal: Refusal };

/**
 * A request's hold on its limits: `finish` settles its token reservation on actual usage and frees its
 * concurrency slots, once, in the store that admitted it.
 */
export class RateLimitGrant {
  readonly #store: RateLimitStore;
  readonly #checks: readonly LimitCheck[];
  readonly #reservedTokens: number;
  readonly #member: string;
  readonly #onError: (error: unknown) => void;
  #finished = false;

  constructor(store: RateLimitStore, checks: readonly LimitCheck[], reservedTokens: number, member: string, onError: (error: unknown) => void) {
    this.#store = store;
    this.#checks = checks;
    this.#reservedTokens = reservedTokens;
    this.#member = member;
    this.#onError = onError;
  }

  /** `usedTokens` null: not known, the reservation stands as the charge. */
  finish(usedTokens: number | null): void {
    if (this.#finished) return;
    this.#finished = true;
    try {
      if (usedTokens !== null && usedTokens !== this.#reservedTokens && this.#checks.some((c) => c.kind === 'tokens')) {
        this.#settle(this.#store.adjustTokens(this.#checks, usedTokens - this.#reservedTokens));
      }
      if (this.#checks.some((c) => c.kind === 'concurrent')) this.#settle(this.#store.release(this.#checks, this.#member));
    } catch (error) {
      this.#onError(error);
    }
  }

  #settle(result: void | Promise<void>): void {
    if (result instanceof Promise) result.catch(this.#onError);
  }
}

/**
 * Rate limits on the request path (docs/ratelimits.md, decision 0013): which limits apply (compiled
 * once per config), one admission against Redis or this process's counters, and the outage policy
 * when Redis fails.
 */
export class RateLimiter {
  readonly #memory: MemoryRateLimitStore;
  readonly #shared: RateLimitStore | null;
  readonly #clock: () => number;
  readonly #breakerMs: number;
  readonly #onStoreDown: (error: unknown, policy: OutagePolicy) => void;
  readonly #onStoreUp: () => void;
  readonly #onStoreFailure: (policy: OutagePolicy) => void;
  readonly #policies = new WeakMap<RateLimitsConfig, RateLimitPolicy>();
  #down = false;
  #skipSharedUntil = 0;

  constructor(options: RateLimiterOptions = {}) {
    this.#clock = options.clock ?? Date.now;
    this.#memory = options.memory ?? new MemoryRateLimitStore({ clock: this.#clock });
    this.#shared = options.shared ?? null;
    this.#breakerMs = options.breakerMs ?? 500;
    this.#onStoreDown = options.onStoreDown ?? (() => {});
    this.#onStoreUp = options.onStoreUp ?? (() => {});
    this.#onStoreFailure = options.onStoreFailure ?? (() => {});
    this.#memory.start();
  }

  /** Where counters are kept when Redis answers. */
  get backend(): RateLimitStore['kind'] {
    return this.#shared?.kind ?? 'memory';
  }

  /** The limits a caller's request to a model must fit in; null (at the cost of a map lookup) when none. */
  limitsFor(config: RateLimitsConfig, caller: Caller, model: LimitedModel): AppliedLimits | null {
    if (config.rules.length === 0) return null;
    let policy = this.#policies.get(config);
    if (policy === undefined) {
      policy = new RateLimitPolicy(config);
      this.#policies.set(config, policy);
    }
    return policy.limitsFor(caller, model);
  }

  /**
   * Counts the request (1 request, `tokens`, 1 slot) on every applicable limit, or on none. Refused:
   * the refusal to send. Redis failing: `failOpen` counts in this process, `failClosed` throws
   * `rate_limiter_unavailable`.
   */
  async admit(limits: AppliedLimits, tokens: number, member: string, policy: OutagePolicy): Promise<Admission> {
    const { checks } = limits;
    let store: RateLimitStore = this.#memory;
    let result: AdmitResult | null = null;
    const shared = this.#shared;
    if (shared !== null) {
      if (this.#clock() >= this.#skipSharedUntil) {
        try {
          result = await shared.admit(checks, tokens, member);
          store = shared;
          if (this.#down) {
            this.#down = false;
            this.#onStoreUp();
          }
        } catch (error) {
          this.#storeFailed(error, policy);
        }
      }
      if (result === null) {
        this.#onStoreFailure(policy);
        if (policy === 'failClosed') {
          throw new MoatError('rate_limiter_unavailable', 'The rate-limit store (Redis) is not answering; try again shortly.', { retryAfter: '1', shouldRetry: true });
        }
      }
    }
    result ??= this.#memory.admit(checks, tokens);
    const view = summarizeLimits(checks, result.states);
    if (!result.allowed) return { allowed: false, view, refusal: refusalFor(checks, result.states, tokens) };
    const grant = new RateLimitGrant(store, checks, tokens, member, (error) => this.#storeFailed(error, policy));
    return { allowed: true, view, grant, store: store.kind };
  }

  /** Waits (at most `timeoutMs`) for Redis to connect; false if it did not (the outage policy applies until it does). */
  async ready(timeoutMs: number): Promise<boolean> {
    return (await this.#shared?.waitUntilConnected?.(timeoutMs)) ?? true;
  }

  async close(): Promise<void> {
    await this.#memory.close();
    await this.#shared?.close();
  }

  #storeFailed(error: unknown, policy: OutagePolicy): void {
    this.#skipSharedUntil = this.#clock() + this.#breakerMs;
    if (this.#down) return;
    this.#down = true;
    this.#onStoreDown(error, policy);
  }
}
