import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { connectFailFast } from '../redis/index.ts';
import { ADJUST_SCRIPT, ADMIT_SCRIPT, RENEW_SCRIPT } from './redis-scripts.ts';
import { costOf, type AdmitResult, type CheckState, type LimitCheck, type RateLimitStore } from './rate-limit-store.ts';

export interface RedisStoreOptions {
  /** `redis://[:password@]host:port[/db]` or `rediss://…`. */
  url: string;
  /** Put before every counter name, so several gateways (or test runs) can share one Redis. */
  keyPrefix: string;
  /** A command that takes longer fails, and the outage policy applies. */
  commandTimeoutMs: number;
  /** How long an in-flight slot outlives its last heartbeat (a dead replica's slots lapse after this). */
  leaseMs: number;
  /** Tests: the time the scripts use instead of the Redis server's clock. */
  clock?: () => number;
  /** Connection errors (each reconnect attempt); admissions report their own failures. */
  onConnectionError?: (error: Error) => void;
}

interface Script {
  source: string;
  sha: string;
}

function script(source: string): Script {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

const ADMIT = script(ADMIT_SCRIPT);
const ADJUST = script(ADJUST_SCRIPT);
const RENEW = script(RENEW_SCRIPT);

/** Most leases renewed by one script call. */
const RENEW_BATCH = 500;

/**
 * Counters in Redis, shared by every replica (decision 0013): one script call per admission (EVALSHA;
 * EVAL once after Redis lost its script cache). Commands never wait for a connection: with no offline
 * queue and no retries, a request during an outage fails at once, or after `commandTimeoutMs`.
 */
export class RedisRateLimitStore implements RateLimitStore {
  readonly kind = 'redis';
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #leaseMs: number;
  readonly #clock: (() => number) | undefined;
  /** Member (request id) → the concurrency sets it holds a slot in, for the heartbeat. */
  readonly #leases = new Map<string, string[]>();
  readonly #pending = new Set<Promise<unknown>>();
  readonly #heartbeat: NodeJS.Timeout;

  constructor(options: RedisStoreOptions) {
    this.#prefix = options.keyPrefix;
    this.#leaseMs = options.leaseMs;
    this.#clock = options.clock;
    this.#redis = connectFailFast(options.url, options.commandTimeoutMs, 'moat-ratelimit', options.onConnectionError ?? (() => {}));
    this.#heartbeat = setInterval(() => this.#track(this.renewLeases().catch(() => {})), Math.max(100, Math.floor(this.#leaseMs / 3)));
    this.#heartbeat.unref();
  }

  /** Whether the connection is up (commands are refused at once while it is not). */
  get connected(): boolean {
    return this.#redis.status === 'ready';
  }

  /** Resolves once connected, or after `timeoutMs` (then the outage policy applies until it is). */
  async waitUntilConnected(timeoutMs: number): Promise<boolean> {
    if (this.connected) return true;
    return new Promise((resolve) => {
      const done = (ok: boolean): void => {
        clearTimeout(timer);
        this.#redis.off('ready', onReady);
        resolve(ok);
      };
      const onReady = (): void => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.#redis.once('ready', onReady);
    });
  }

  async admit(checks: readonly LimitCheck[], tokens: number, member: string): Promise<AdmitResult> {
    const rate = checks.filter((c) => c.kind !== 'concurrent');
    const sets = checks.filter((c) => c.kind === 'concurrent');
    const args: (string | number)[] = [rate.length, member, this.#leaseMs, this.#now()];
    for (const check of rate) args.push(check.limit, costOf(check.kind, tokens));
    for (const check of sets) args.push(check.limit);
    const keys = [...rate, ...sets].map((c) => this.#prefix + c.counter);
    const reply = (await this.#run(ADMIT, keys, args)) as number[];
    // The reply follows [rate…, sets…]; give the states back in the checks' order.
    const byCounter = new Map<string, CheckState>();
    [...rate, ...sets].forEach((check, i) => {
      const retry = reply[3 + 3 * i]!;
      byCounter.set(check.counter, { remaining: reply[1 + 3 * i]!, resetMs: reply[2 + 3 * i]!, retryAfterMs: retry < 0 ? Infinity : retry });
    });
    const allowed = reply[0] === 1;
    if (allowed && sets.length > 0) this.#leases.set(member, sets.map((c) => this.#prefix + c.counter));
    return { allowed, states: checks.map((c) => byCounter.get(c.counter)!) };
  }

  async adjustTokens(checks: readonly LimitCheck[], deltaTokens: number): Promise<void> {
    const tokens = checks.filter((c) => c.kind === 'tokens');
    if (tokens.length === 0 || deltaTokens === 0) return;
    const args: (string | number)[] = [this.#now()];
    for (const check of tokens) args.push(check.limit, deltaTokens);
    await this.#track(this.#run(ADJUST, tokens.map((c) => this.#prefix + c.counter), args));
  }

  async release(checks: readonly LimitCheck[], member: string): Promise<void> {
    const sets = checks.filter((c) => c.kind === 'concurrent');
    if (sets.length === 0) return;
    this.#leases.delete(member);
    const pipeline = this.#redis.pipeline();
    for (const check of sets) pipeline.zrem(this.#prefix + check.counter, member);
    const results = await this.#track(pipeline.exec());
    const failed = results?.find(([error]) => error !== null);
    if (failed) throw failed[0];
  }

  /** Extends the slots of this replica's requests in flight (every leaseMs / 3). */
  async renewLeases(): Promise<void> {
    const pairs: [string, string][] = [];
    for (const [member, keys] of this.#leases) for (const key of keys) pairs.push([key, member]);
    for (let i = 0; i < pairs.length; i += RENEW_BATCH) {
      const batch = pairs.slice(i, i + RENEW_BATCH);
      await this.#run(RENEW, batch.map(([key]) => key), [this.#leaseMs, this.#now(), ...batch.map(([, member]) => member)]);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.#heartbeat);
    await Promise.allSettled([...this.#pending]);
    this.#redis.disconnect();
  }

  #now(): string {
    return this.#clock ? String(this.#clock()) : '';
  }

  async #run(lua: Script, keys: string[], args: (string | number)[]): Promise<unknown> {
    if (!this.connected) throw new Error(`Redis is not connected (${this.#redis.status})`);
    try {
      return await this.#redis.evalsha(lua.sha, keys.length, ...keys, ...args);
    } catch (error) {
      // The first word of a Redis error reply is its code: NOSCRIPT after a restart or SCRIPT FLUSH.
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return this.#redis.eval(lua.source, keys.length, ...keys, ...args);
    }
  }

  #track<T>(promise: Promise<T>): Promise<T> {
    this.#pending.add(promise);
    void promise.finally(() => this.#pending.delete(promise)).catch(() => {});
    return promise;
  }
}
