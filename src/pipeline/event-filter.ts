import type { CanonicalEvent } from '../canonical/index.ts';

/**
 * Rewrites the upstream's answer on its way to the client, one canonical event at a time: the veil
 * drops reasoning, privacy puts redacted values back. A filter may hold events back (a placeholder
 * split across two deltas) and release them later or at `end`. The metering fold sees the events
 * before any filter, so hidden reasoning is still counted and billed.
 */
export interface EventFilter {
  push(event: CanonicalEvent, emit: (event: CanonicalEvent) => void): void;
  /** The upstream's answer is over: release whatever is held. */
  end(emit: (event: CanonicalEvent) => void): void;
  /**
   * Before `end`: a promise when the filter still has asynchronous work whose result belongs in the
   * answer (the veil's summary), null when it has none. Absent: never any.
   */
  settled?(): Promise<void> | null;
}

/** One filter per upstream attempt: a fallback starts from a clean state. */
export type EventFilterFactory = () => EventFilter;

/** Chains filters so each one's output is the next one's input; the last emits to `sink`. */
export class FilterChain {
  private readonly filters: EventFilter[];
  /** `emitters[i]` is what filter i emits into: filter i + 1, or the sink after the last. */
  private readonly emitters: Array<(event: CanonicalEvent) => void> = [];

  constructor(factories: readonly EventFilterFactory[], sink: (event: CanonicalEvent) => void) {
    this.filters = factories.map((create) => create());
    let next = sink;
    for (let i = this.filters.length - 1; i >= 0; i--) {
      this.emitters[i] = next;
      const filter = this.filters[i]!;
      const emit = next;
      next = (event) => filter.push(event, emit);
    }
    this.head = next;
  }

  private readonly head: (event: CanonicalEvent) => void;

  push(event: CanonicalEvent): void {
    this.head(event);
  }

  /** What the filters are still working on, or null when none is. */
  settled(): Promise<void> | null {
    const pending = this.filters.map((filter) => filter.settled?.() ?? null).filter((p) => p !== null);
    return pending.length === 0 ? null : Promise.all(pending).then(() => undefined);
  }

  /** Ends each filter in order, so what one releases still passes through the ones after it. */
  end(): void {
    this.filters.forEach((filter, i) => filter.end(this.emitters[i]!));
  }
}
