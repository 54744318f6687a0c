import type { SlaSample } from './outcome-class.ts';
import { Slice } from './slice.ts';
import { SliceRing } from './slice-ring.ts';

/** Slices not yet pushed to Redis: upstream → slice start → counts. */
export type Outbox = Map<string, Map<number, Slice>>;

/**
 * This process's slices of every upstream, and (when Redis is shared) what it recorded since the last
 * push. `record` is the hot path: a map lookup, a logarithm and a few increments.
 */
export class LocalSlices {
  readonly sliceMs: number;
  private readonly ringLength: number;
  private readonly rings = new Map<string, SliceRing>();
  private outbox: Outbox | null;
  /** The outbox slice written last, so a burst in one slice skips the two map lookups. */
  private lastUpstream = '';
  private lastPending: Slice | null = null;

  constructor(sliceMs: number, ringLength: number, options: { shared: boolean }) {
    this.sliceMs = sliceMs;
    this.ringLength = ringLength;
    this.outbox = options.shared ? new Map() : null;
  }

  record(upstream: string, sample: SlaSample): void {
    let ring = this.rings.get(upstream);
    if (ring === undefined) this.rings.set(upstream, (ring = new SliceRing(this.sliceMs, this.ringLength)));
    ring.add(sample);
    if (this.outbox !== null) this.pendingSlice(upstream, sample.at).add(sample);
  }

  upstreams(): string[] {
    return [...this.rings.keys()];
  }

  /** Each upstream's slices starting in [from, until). */
  slices(from: number, until: number): Map<string, Slice[]> {
    const out = new Map<string, Slice[]>();
    for (const [upstream, ring] of this.rings) out.set(upstream, ring.slicesBetween(from, until));
    return out;
  }

  /** Hands over everything recorded since the last call, for a push to Redis. */
  takeOutbox(): Outbox {
    const taken = this.outbox ?? new Map<string, Map<number, Slice>>();
    if (this.outbox !== null) this.outbox = new Map();
    this.lastPending = null;
    return taken;
  }

  /** A push failed: put its slices back (those starting before `keepFrom` are dropped; no window needs them). */
  restoreOutbox(failed: Outbox, keepFrom: number): void {
    if (this.outbox === null) return;
    for (const [upstream, slices] of failed) {
      for (const [start, slice] of slices) if (start >= keepFrom) this.pendingFor(upstream, start).merge(slice);
    }
  }

  private pendingSlice(upstream: string, at: number): Slice {
    const start = Math.floor(at / this.sliceMs) * this.sliceMs;
    const last = this.lastPending;
    if (last !== null && last.start === start && this.lastUpstream === upstream) return last;
    const slice = this.pendingFor(upstream, start);
    this.lastUpstream = upstream;
    this.lastPending = slice;
    return slice;
  }

  private pendingFor(upstream: string, start: number): Slice {
    let byStart = this.outbox!.get(upstream);
    if (byStart === undefined) this.outbox!.set(upstream, (byStart = new Map()));
    let slice = byStart.get(start);
    if (slice === undefined) byStart.set(start, (slice = new Slice(start)));
    return slice;
  }
}
