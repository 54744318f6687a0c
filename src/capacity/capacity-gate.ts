import { MoatError, toMoatError } from '../errors/index.ts';
import { systemClock, type Clock } from './clock.ts';
import { FairQueue, type QueueEntry, type QueueTicket } from './fair-queue.ts';
import type { SlotPool } from './slot-pool.ts';

export interface GateLimits {
  maxInFlight: number;
  maxQueued: number;
  timeoutMs: number;
}

/** A slot held for one upstream exchange; `release` it once when the exchange ends (more calls do nothing). */
export interface Slot {
  release(): void;
}

export type ShedReason = 'queue_full' | 'timeout' | 'unavailable';

/** What the gate reports, for metrics. Labels stay bounded: provider names and priority numbers. */
export interface CapacityObserver {
  queueDepth(provider: string, depth: number): void;
  slotsInUse(provider: string, held: number): void;
  waited(provider: string, priority: number, ms: number): void;
  shed(provider: string, reason: ShedReason): void;
}

const SILENT: CapacityObserver = { queueDepth() {}, slotsInUse() {}, waited() {}, shed() {} };

interface Waiter {
  readonly ticket: QueueTicket;
  readonly arrivedAt: number;
  resolve(slot: Slot | null): void;
  reject(error: MoatError): void;
  /** Clears the timer and the abort listener. */
  cleanup(): void;
}

/** Weight of the latest hold time in the running average that `Retry-After` is estimated from. */
const HOLD_EWMA_WEIGHT = 0.2;

/**
 * One upstream's slots and the queue in front of them. A request takes a free slot at once when
 * nobody is waiting; otherwise it queues (strict priority, then weighted fair queuing across tenants:
 * fair-queue.ts) until a slot frees, its queue timeout passes, or its client goes away. A full queue
 * sheds at once. Every wait ends: granted, timed out, shed, or abandoned.
 */
export class CapacityGate {
  readonly provider: string;
  private limits: GateLimits;
  private readonly pool: SlotPool;
  private readonly clock: Clock;
  private readonly observer: CapacityObserver;
  private readonly queue = new FairQueue<Waiter>();
  private held = 0;
  private pumping = false;
  /** Something changed while the pump was waiting on the pool: look again before sleeping. */
  private again = false;
  private averageHoldMs: number | null = null;

  constructor(provider: string, limits: GateLimits, pool: SlotPool, clock: Clock = systemClock, observer: CapacityObserver = SILENT) {
    this.provider = provider;
    this.limits = { ...limits };
    this.pool = pool;
    this.clock = clock;
    this.observer = observer;
    pool.onMaybeFree = () => this.pump();
  }

  /** Slots this gate holds now (on this replica). */
  get inUse(): number {
    return this.held;
  }

  get waiting(): number {
    return this.queue.size;
  }

  setLimits(limits: GateLimits): void {
    this.limits = { ...limits };
    this.pool.setLimit(limits.maxInFlight);
    this.pump();
  }

  /**
   * Resolves with a slot, or null when `signal` aborted first (the client went away). Rejects with
   * `capacity_queue_full`, `capacity_queue_timeout` or `capacity_unavailable`, each with `Retry-After`.
   */
  async acquire(ticket: QueueTicket, signal?: AbortSignal): Promise<Slot | null> {
    if (signal?.aborted) return null;
    const arrivedAt = this.clock.now();
    if (this.queue.size === 0) {
      const holder = await this.takeFromPool(ticket.priority);
      if (holder !== null) {
        if (signal?.aborted) {
          this.pool.give(holder);
          this.pump();
          return null;
        }
        return this.grant(holder, ticket, arrivedAt);
      }
    }
    if (signal?.aborted) return null;
    if (this.queue.size >= this.limits.maxQueued) {
      this.observer.shed(this.provider, 'queue_full');
      throw new MoatError(
        'capacity_queue_full',
        `Upstream '${this.provider}' is at capacity (${this.limits.maxInFlight} in flight) and its queue is full (${this.limits.maxQueued}); retry later.`,
        { retryAfter: this.retryAfter() },
      );
    }
    return this.enqueue(ticket, arrivedAt, signal);
  }

  /** Rejects everything waiting (shutdown); slots in use are given back as they are released. */
  close(): void {
    this.rejectAll(new MoatError('shutting_down', 'Moat is shutting down; retry on another replica.', { retryAfter: '1' }));
    this.pool.close();
  }

  private enqueue(ticket: QueueTicket, arrivedAt: number, signal: AbortSignal | undefined): Promise<Slot | null> {
    return new Promise<Slot | null>((resolve, reject) => {
      let entry: QueueEntry<Waiter> | null = null;
      const onTimeout = (): void => {
        if (entry === null || !this.leave(entry)) return;
        this.observer.shed(this.provider, 'timeout');
        reject(
          new MoatError('capacity_queue_timeout', `Waited ${this.limits.timeoutMs} ms for a slot of upstream '${this.provider}' without getting one; retry later.`, {
            retryAfter: this.retryAfter(),
          }),
        );
      };
      const onAbort = (): void => {
        if (entry !== null && this.leave(entry)) resolve(null);
      };
      const timer = this.clock.setTimeout(onTimeout, this.limits.timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      const waiter: Waiter = {
        ticket,
        arrivedAt,
        resolve,
        reject,
        cleanup: () => {
          this.clock.clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        },
      };
      entry = this.queue.push(waiter, ticket);
      this.queueChanged();
      this.pump();
    });
  }

  /** Takes a waiter out before its turn; false when it was already served. */
  private leave(entry: QueueEntry<Waiter>): boolean {
    if (!this.queue.remove(entry)) return false;
    entry.value.cleanup();
    this.queueChanged();
    return true;
  }

  private grant(holder: string, ticket: QueueTicket, arrivedAt: number): Slot {
    const grantedAt = this.clock.now();
    this.held++;
    this.observer.slotsInUse(this.provider, this.held);
    this.observer.waited(this.provider, ticket.priority, grantedAt - arrivedAt);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.held--;
        this.observer.slotsInUse(this.provider, this.held);
        this.recordHold(this.clock.now() - grantedAt);
        this.pool.give(holder);
        this.pump();
      },
    };
  }

  private async takeFromPool(priority: number): Promise<string | null> {
    try {
      return await this.pool.take(priority);
    } catch (error) {
      this.observer.shed(this.provider, 'unavailable');
      throw toMoatError(error);
    }
  }

  /** Hands free slots to waiters, best first, until either runs out. One pump runs at a time. */
  private pump(): void {
    if (this.pumping) {
      this.again = true;
      return;
    }
    if (this.queue.size === 0) return;
    this.pumping = true;
    this.again = false;
    void this.pumpLoop().finally(() => {
      this.pumping = false;
      if (this.again) this.pump();
    });
  }

  private async pumpLoop(): Promise<void> {
    while (this.queue.size > 0) {
      let holder: string | null;
      try {
        holder = await this.pool.take(this.queue.bestPriority!);
      } catch (error) {
        // Nobody can be served without the pool (fail-closed): answer them all now rather than at their timeouts.
        const failure = toMoatError(error);
        for (let n = this.queue.size; n > 0; n--) this.observer.shed(this.provider, 'unavailable');
        this.rejectAll(failure);
        return;
      }
      if (holder === null) {
        if (!this.again) return;
        this.again = false;
        continue;
      }
      const waiter = this.queue.shift();
      if (waiter === undefined) {
        this.pool.give(holder);
        return;
      }
      waiter.cleanup();
      this.queueChanged();
      waiter.resolve(this.grant(holder, waiter.ticket, waiter.arrivedAt));
    }
  }

  private rejectAll(error: MoatError): void {
    for (let waiter = this.queue.shift(); waiter !== undefined; waiter = this.queue.shift()) {
      waiter.cleanup();
      waiter.reject(error);
    }
    this.queueChanged();
  }

  private queueChanged(): void {
    this.observer.queueDepth(this.provider, this.queue.size);
    this.pool.setWaiting(this.queue.size > 0);
  }

  private recordHold(ms: number): void {
    this.averageHoldMs = this.averageHoldMs === null ? ms : this.averageHoldMs + HOLD_EWMA_WEIGHT * (ms - this.averageHoldMs);
  }

  /**
   * Seconds until a retry has a fair chance: the time the queue ahead takes to drain at the recent
   * pace (average slot hold × (waiting + 1) / slots), at least 1 and at most 60: both official SDKs
   * sleep for whatever `Retry-After` says, and a busy queue is no reason to park a client for longer.
   */
  private retryAfter(): string {
    const holdMs = this.averageHoldMs ?? 1000;
    const seconds = Math.ceil((holdMs * (this.queue.size + 1)) / this.limits.maxInFlight / 1000);
    return String(Math.min(60, Math.max(1, seconds)));
  }
}
