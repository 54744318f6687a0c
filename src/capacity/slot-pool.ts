/**
 * Where a gate's slots come from: a counter in this process, or leases in Redis shared by every
 * replica. A gate asks for one slot at a time and gives each back exactly once.
 */
export interface SlotPool {
  /**
   * Takes a slot if one is free: its holder id, or null when all are taken. `priority` is that of the
   * best request waiting for it. Rejects with a `MoatError` when the pool cannot tell (Redis down,
   * fail-closed).
   */
  take(priority: number): Promise<string | null>;
  give(holder: string): void;
  /** Called when a slot may have freed somewhere this pool cannot see by itself (another replica). */
  onMaybeFree: (() => void) | null;
  /** The gate has requests waiting (or not): a shared pool polls while it has. */
  setWaiting(waiting: boolean): void;
  setLimit(maxInFlight: number): void;
  close(): void;
}

/** The slots of one process: a counter. */
export class LocalSlotPool implements SlotPool {
  private limit: number;
  private inUse = 0;
  private next = 0;
  onMaybeFree: (() => void) | null = null;

  constructor(maxInFlight: number) {
    this.limit = maxInFlight;
  }

  get used(): number {
    return this.inUse;
  }

  /** Synchronous form of `take`. */
  tryTake(): string | null {
    if (this.inUse >= this.limit) return null;
    this.inUse++;
    return `local:${this.next++}`;
  }

  take(): Promise<string | null> {
    return Promise.resolve(this.tryTake());
  }

  give(): void {
    this.inUse--;
  }

  setWaiting(): void {}

  setLimit(maxInFlight: number): void {
    this.limit = maxInFlight;
  }

  close(): void {}
}
