import { describe, expect, it } from 'vitest';
import { MoatError } from '../errors/index.ts';
import { CapacityGate, type Slot } from './capacity-gate.ts';
import type { Clock } from './clock.ts';
import type { QueueTicket } from './fair-queue.ts';
import { LocalSlotPool, type SlotPool } from './slot-pool.ts';

/** A clock that moves only when the test says so. */
class ManualClock implements Clock {
  time = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private nextId = 0;
  now(): number {
    return this.time;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  get pending(): number {
    return this.timers.size;
  }
  advance(ms: number): void {
    this.time += ms;
    for (const [id, timer] of [...this.timers].sort((a, b) => a[1].at - b[1].at)) {
      if (timer.at > this.time) break;
      this.timers.delete(id);
      timer.fn();
    }
  }
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
const ticket = (tenant: string, priority = 1, weight = 1): QueueTicket => ({ tenant, priority, weight });

function setup(limits = { maxInFlight: 2, maxQueued: 10, timeoutMs: 1000 }) {
  const clock = new ManualClock();
  const pool = new LocalSlotPool(limits.maxInFlight);
  const shed: string[] = [];
  const gate = new CapacityGate('gpu', limits, pool, clock, { queueDepth() {}, slotsInUse() {}, waited() {}, shed: (_p, reason) => shed.push(reason) });
  return { clock, pool, gate, shed };
}

/** Starts an acquisition and records how it ended. */
function request(gate: CapacityGate, t: QueueTicket, signal?: AbortSignal) {
  const state: { slot: Slot | null | undefined; error: MoatError | undefined; done: boolean } = { slot: undefined, error: undefined, done: false };
  gate.acquire(t, signal).then(
    (slot) => Object.assign(state, { slot, done: true }),
    (error: MoatError) => Object.assign(state, { error, done: true }),
  );
  return state;
}

describe('CapacityGate', () => {
  it('grants up to maxInFlight at once and queues the rest; a release hands its slot to the next', async () => {
    const { gate, pool } = setup();
    const requests = Array.from({ length: 5 }, () => request(gate, ticket('a')));
    await flush();
    expect(requests.map((r) => r.done)).toEqual([true, true, false, false, false]);
    expect(pool.used).toBe(2);
    expect(gate.waiting).toBe(3);
    requests[0]!.slot!.release();
    requests[0]!.slot!.release(); // a second release does nothing
    await flush();
    expect(requests.map((r) => r.done)).toEqual([true, true, true, false, false]);
    expect(pool.used).toBe(2);
  });

  it('never has more than maxInFlight slots out, whatever the order of arrivals and releases', async () => {
    const { gate, pool } = setup({ maxInFlight: 3, maxQueued: 1000, timeoutMs: 1_000_000 });
    const held: Slot[] = [];
    let served = 0;
    let maxUsed = 0;
    for (let round = 0; round < 200; round++) {
      if (round % 3 !== 2)
        void gate.acquire(ticket(`t${round % 4}`, round % 2)).then((slot) => {
          held.push(slot!);
          served++;
        });
      if (round % 2 === 1 && held.length > 0) held.splice(round % held.length, 1)[0]!.release();
      await flush();
      maxUsed = Math.max(maxUsed, pool.used);
      expect(held.length).toBeLessThanOrEqual(3);
    }
    while (held.length > 0) {
      held.shift()!.release();
      await flush();
    }
    expect(maxUsed).toBe(3);
    expect(served).toBe(134);
    expect(pool.used).toBe(0);
  });

  it('serves a better class first, and tenants of a class fairly', async () => {
    const { gate } = setup({ maxInFlight: 1, maxQueued: 100, timeoutMs: 1000 });
    const first = request(gate, ticket('x'));
    await flush();
    const order: string[] = [];
    const queued = [
      ...Array.from({ length: 6 }, () => ['heavy', 2] as const),
      ['light', 2] as const,
      ['mid', 1] as const,
      ['vip', 0] as const,
    ];
    for (const [tenant, priority] of queued) void gate.acquire(ticket(tenant, priority)).then((slot) => {
      order.push(tenant);
      slot!.release();
    });
    await flush();
    first.slot!.release();
    await flush();
    expect(order).toEqual(['vip', 'mid', 'heavy', 'light', 'heavy', 'heavy', 'heavy', 'heavy', 'heavy']);
  });

  it('sheds at once with capacity_queue_full and Retry-After when the queue is full', async () => {
    const { gate, shed } = setup({ maxInFlight: 1, maxQueued: 2, timeoutMs: 1000 });
    const requests = Array.from({ length: 4 }, () => request(gate, ticket('a')));
    await flush();
    expect(requests[3]!.error).toBeInstanceOf(MoatError);
    expect(requests[3]!.error!.code).toBe('capacity_queue_full');
    expect(requests[3]!.error!.status).toBe(503);
    expect(Number(requests[3]!.error!.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(shed).toEqual(['queue_full']);
  });

  it('sheds when there is no queue at all (maxQueued 0) but still grants a free slot', async () => {
    const { gate } = setup({ maxInFlight: 1, maxQueued: 0, timeoutMs: 1000 });
    const [a, b] = [request(gate, ticket('a')), request(gate, ticket('a'))];
    await flush();
    expect(a.slot).toBeDefined();
    expect(b.error?.code).toBe('capacity_queue_full');
  });

  it('times a waiter out with capacity_queue_timeout; others keep their place', async () => {
    const { gate, clock, shed } = setup({ maxInFlight: 1, maxQueued: 10, timeoutMs: 1000 });
    const holder = request(gate, ticket('a'));
    await flush();
    const early = request(gate, ticket('a'));
    await flush();
    clock.advance(600);
    const late = request(gate, ticket('b'));
    await flush();
    clock.advance(400);
    await flush();
    expect(early.error?.code).toBe('capacity_queue_timeout');
    // No hold measured yet: 1 s assumed, × (1 still waiting + 1) / 1 slot.
    expect(early.error?.retryAfter).toBe('2');
    expect(late.done).toBe(false);
    holder.slot!.release();
    await flush();
    expect(late.slot).toBeDefined();
    expect(shed).toEqual(['timeout']);
    expect(clock.pending).toBe(0);
  });

  it('drops a waiter whose client went away, without using a slot', async () => {
    const { gate, clock, pool } = setup({ maxInFlight: 1, maxQueued: 10, timeoutMs: 1000 });
    const holder = request(gate, ticket('a'));
    await flush();
    const controller = new AbortController();
    const gone = request(gate, ticket('a'), controller.signal);
    const next = request(gate, ticket('a'));
    await flush();
    controller.abort();
    await flush();
    expect(gone).toMatchObject({ done: true, slot: null });
    expect(gate.waiting).toBe(1);
    holder.slot!.release();
    await flush();
    expect(next.slot).toBeDefined();
    expect(pool.used).toBe(1);
    expect(clock.pending).toBe(0);
  });

  it('estimates Retry-After from how long slots are held and how many wait', async () => {
    const { gate, clock } = setup({ maxInFlight: 2, maxQueued: 4, timeoutMs: 60_000 });
    for (let i = 0; i < 4; i++) {
      const r = request(gate, ticket('a'));
      await flush();
      clock.advance(5000);
      r.slot!.release();
    }
    const fill = Array.from({ length: 7 }, () => request(gate, ticket('a')));
    await flush();
    // 5 s per hold × (4 waiting + 1) / 2 slots = 12.5 s.
    expect(fill[6]!.error?.retryAfter).toBe('13');
  });

  it('serves more waiters at once when maxInFlight is raised', async () => {
    const { gate } = setup({ maxInFlight: 1, maxQueued: 10, timeoutMs: 1000 });
    const requests = Array.from({ length: 3 }, () => request(gate, ticket('a')));
    await flush();
    expect(requests.filter((r) => r.done)).toHaveLength(1);
    gate.setLimits({ maxInFlight: 3, maxQueued: 10, timeoutMs: 1000 });
    await flush();
    expect(requests.filter((r) => r.done)).toHaveLength(3);
  });

  it('answers every waiter with capacity_unavailable when the pool fails (fail-closed), and new arrivals too', async () => {
    let failing = false;
    const local = new LocalSlotPool(1);
    const pool: SlotPool = {
      take: () => (failing ? Promise.reject(new MoatError('capacity_unavailable', 'redis down', { retryAfter: '1' })) : local.take()),
      give: () => local.give(),
      onMaybeFree: null,
      setWaiting() {},
      setLimit() {},
      close() {},
    };
    const clock = new ManualClock();
    const gate = new CapacityGate('gpu', { maxInFlight: 1, maxQueued: 10, timeoutMs: 1000 }, pool, clock);
    const holder = request(gate, ticket('a'));
    await flush();
    const waiters = [request(gate, ticket('a')), request(gate, ticket('b'))];
    await flush();
    failing = true;
    holder.slot!.release();
    await flush();
    expect(waiters.map((w) => w.error?.code)).toEqual(['capacity_unavailable', 'capacity_unavailable']);
    const late = request(gate, ticket('c'));
    await flush();
    expect(late.error?.code).toBe('capacity_unavailable');
    expect(clock.pending).toBe(0);
  });
});
