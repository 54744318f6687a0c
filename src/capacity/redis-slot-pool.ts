import { MoatError } from '../errors/index.ts';
import type { CapacityRedis } from './capacity-redis.ts';
import type { SlotPool } from './slot-pool.ts';

/** Holder ids of slots counted in this process while Redis is down; Redis holders start with the replica id. */
const FALLBACK_PREFIX = 'local:';

/**
 * One upstream's slots as leases in Redis, shared by every replica (redis-scripts.ts). A replica
 * renews the leases it holds every `leaseMs / 3`; while it has requests waiting it asks again every
 * `pollMs` and whenever a replica announces a freed slot. When Redis fails, `onOutage: failOpen` counts
 * slots in this process alone — its Redis leases plus those it counts itself, at most maxInFlight, so
 * N replicas may admit up to N × maxInFlight — and `closed` refuses.
 */
export class RedisSlotPool implements SlotPool {
  onMaybeFree: (() => void) | null = null;
  private readonly provider: string;
  private readonly redis: CapacityRedis;
  private readonly slotsKey: string;
  private readonly waitersKey: string;
  private readonly channel: string;
  private fallbackInUse = 0;
  private readonly holders = new Set<string>();
  private limit: number;
  private next = 0;
  private pollTimer: NodeJS.Timeout | null = null;
  private renewTimer: NodeJS.Timeout | null = null;

  constructor(provider: string, maxInFlight: number, redis: CapacityRedis) {
    this.provider = provider;
    this.redis = redis;
    this.limit = maxInFlight;
    // One hash tag per provider: both keys live in the same Redis Cluster slot.
    const base = `${redis.settings.keyPrefix}capacity:{${provider}}`;
    this.slotsKey = `${base}:slots`;
    this.waitersKey = `${base}:waiters`;
    this.channel = `${base}:freed`;
    redis.subscribe(this.channel, () => this.onMaybeFree?.());
  }

  /** Slot holders of this replica, in Redis (for tests and metrics). */
  get held(): number {
    return this.holders.size;
  }

  async take(priority: number): Promise<string | null> {
    if (this.redis.down) return this.withoutRedis(new Error('Redis connection is down'));
    const { leaseMs, pollMs } = this.redis.settings;
    const holder = `${this.redis.replicaId}:${this.next++}`;
    let granted: number;
    try {
      // A waiter registration outlives a few missed polls, not a dead replica's queue.
      granted = await this.redis.scripts.take(this.slotsKey, this.waitersKey, holder, this.limit, leaseMs, this.redis.replicaId, priority, Math.max(3 * pollMs, 1000));
    } catch (error) {
      return this.withoutRedis(error);
    }
    this.redis.succeeded();
    if (granted !== 1) return null;
    this.holders.add(holder);
    this.renewTimer ??= setInterval(() => this.renew(), Math.floor(leaseMs / 3)).unref();
    return holder;
  }

  give(holder: string): void {
    if (holder.startsWith(FALLBACK_PREFIX)) {
      this.fallbackInUse--;
      return;
    }
    this.holders.delete(holder);
    if (this.holders.size === 0 && this.renewTimer) {
      clearInterval(this.renewTimer);
      this.renewTimer = null;
    }
    // If this fails, the lease ends by itself within `leaseMs`.
    this.redis.scripts.give(this.slotsKey, holder, this.channel).then(
      () => this.redis.succeeded(),
      (error: unknown) => this.redis.failed(error),
    );
  }

  setWaiting(waiting: boolean): void {
    if (waiting && this.pollTimer === null) {
      this.pollTimer = setInterval(() => this.onMaybeFree?.(), this.redis.settings.pollMs).unref();
    } else if (!waiting && this.pollTimer !== null) {
      clearInterval(this.pollTimer);
      this.pollTimer = null;
      this.redis.forgetWaiter(this.waitersKey);
    }
  }

  setLimit(maxInFlight: number): void {
    this.limit = maxInFlight;
  }

  close(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.renewTimer) clearInterval(this.renewTimer);
    this.pollTimer = this.renewTimer = null;
    this.redis.unsubscribe(this.channel);
  }

  private withoutRedis(error: unknown): string | null {
    this.redis.failed(error);
    if (this.redis.settings.onOutage === 'failClosed') {
      throw new MoatError('capacity_unavailable', `The slot count of upstream '${this.provider}' is kept in Redis, which did not answer; retry shortly.`, { retryAfter: '1', cause: error });
    }
    if (this.holders.size + this.fallbackInUse >= this.limit) return null;
    this.fallbackInUse++;
    return `${FALLBACK_PREFIX}${this.next++}`;
  }

  private renew(): void {
    if (this.holders.size === 0) return;
    this.redis.scripts.renew(this.slotsKey, this.redis.settings.leaseMs, [...this.holders]).then(
      () => this.redis.succeeded(),
      (error: unknown) => this.redis.failed(error),
    );
  }
}
