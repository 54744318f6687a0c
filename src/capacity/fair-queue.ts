/** Where a waiting request stands: its priority class (0 first) and the tenant whose share it uses. */
export interface QueueTicket {
  readonly priority: number;
  readonly tenant: string;
  /** The tenant's weight within its class; a tenant with weight 2 gets twice the slots of one with 1. */
  readonly weight: number;
}

/** A queued item; hand it back to `remove` to take it out before its turn (timeout, client gone). */
export interface QueueEntry<T> {
  readonly value: T;
  readonly ticket: QueueTicket;
}

interface Entry<T> extends QueueEntry<T> {
  readonly lane: Lane<T>;
  readonly start: number;
  readonly finish: number;
  readonly seq: number;
  queued: boolean;
}

/** One tenant's requests in one class, oldest first, and the virtual time its last one finishes. */
interface Lane<T> {
  readonly tenant: string;
  readonly entries: Entry<T>[];
  head: number;
  live: number;
  lastFinish: number;
}

interface PriorityClass<T> {
  readonly priority: number;
  readonly lanes: Map<string, Lane<T>>;
  /** The start tag of the last request served: where a tenant that was idle starts again. */
  virtualTime: number;
  size: number;
}

/**
 * The capacity queue's order, as a pure structure (no clock, no I/O): strict priority between
 * classes, and weighted fair queuing across tenants within a class.
 *
 * Within a class each request gets virtual start and finish tags when it arrives (start-time fair
 * queuing, Goyal et al. 1996, with every request costing one slot): start = max(the class's virtual
 * time, the finish tag of the tenant's previous request), finish = start + 1 / weight. The request
 * with the smallest finish tag goes first (ties: arrival order), and the class's virtual time moves
 * to its start tag. A tenant with a long backlog has finish tags far ahead; one that arrives now
 * starts at the current virtual time, so it waits behind at most about weight-heavy / weight-light
 * of the flood, however long the flood is. A tenant gets no credit for time it was idle.
 */
export class FairQueue<T> {
  /** Classes by priority, kept sorted (few: one per configured tier). */
  private readonly classes: PriorityClass<T>[] = [];
  private seq = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The best priority waiting, or undefined when the queue is empty. */
  get bestPriority(): number | undefined {
    for (const cls of this.classes) if (cls.size > 0) return cls.priority;
    return undefined;
  }

  push(value: T, ticket: QueueTicket): QueueEntry<T> {
    const cls = this.classFor(ticket.priority);
    let lane = cls.lanes.get(ticket.tenant);
    if (lane === undefined) {
      lane = { tenant: ticket.tenant, entries: [], head: 0, live: 0, lastFinish: cls.virtualTime };
      cls.lanes.set(ticket.tenant, lane);
    }
    const start = Math.max(cls.virtualTime, lane.lastFinish);
    const finish = start + 1 / ticket.weight;
    const entry: Entry<T> = { value, ticket, lane, start, finish, seq: this.seq++, queued: true };
    lane.entries.push(entry);
    lane.lastFinish = finish;
    lane.live++;
    cls.size++;
    this.count++;
    return entry;
  }

  /** The next item to serve, taken out of the queue; undefined when empty. */
  shift(): T | undefined {
    for (const cls of this.classes) {
      if (cls.size === 0) continue;
      let best: Entry<T> | undefined;
      for (const [tenant, lane] of cls.lanes) {
        const head = this.headOf(lane);
        if (head === undefined) {
          // An idle tenant whose last tag the class has passed carries no information: forget it.
          if (lane.lastFinish <= cls.virtualTime) cls.lanes.delete(tenant);
          continue;
        }
        if (best === undefined || head.finish < best.finish || (head.finish === best.finish && head.seq < best.seq)) best = head;
      }
      if (best === undefined) continue;
      cls.virtualTime = Math.max(cls.virtualTime, best.start);
      this.take(best);
      return best.value;
    }
    return undefined;
  }

  /** Takes an entry out before its turn; false if it had already left. */
  remove(handle: QueueEntry<T>): boolean {
    const entry = handle as Entry<T>;
    if (!entry.queued) return false;
    const { lane } = entry;
    const isTail = lane.entries[lane.entries.length - 1] === entry;
    this.take(entry);
    // A tenant's abandoned last request should not push its next one back.
    if (isTail) {
      lane.lastFinish = entry.start;
      while (lane.entries.length > lane.head && !lane.entries[lane.entries.length - 1]!.queued) lane.entries.pop();
    }
    return true;
  }

  private take(entry: Entry<T>): void {
    entry.queued = false;
    entry.lane.live--;
    this.classFor(entry.ticket.priority).size--;
    this.count--;
  }

  private headOf(lane: Lane<T>): Entry<T> | undefined {
    if (lane.live === 0) {
      lane.entries.length = 0;
      lane.head = 0;
      return undefined;
    }
    while (!lane.entries[lane.head]!.queued) lane.head++;
    // Compact now and then so a long-lived lane does not grow without bound.
    if (lane.head > 64 && lane.head * 2 > lane.entries.length) {
      lane.entries.splice(0, lane.head);
      lane.head = 0;
    }
    return lane.entries[lane.head];
  }

  private classFor(priority: number): PriorityClass<T> {
    for (const cls of this.classes) if (cls.priority === priority) return cls;
    const cls: PriorityClass<T> = { priority, lanes: new Map(), virtualTime: 0, size: 0 };
    this.classes.push(cls);
    this.classes.sort((a, b) => a.priority - b.priority);
    return cls;
  }
}
