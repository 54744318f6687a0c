import type { SlaSample } from './outcome-class.ts';
import { Slice } from './slice.ts';

/**
 * One upstream's recent slices in a fixed ring: slot `(at / sliceMs) mod length`. A slot whose slice is
 * older than the ring is emptied and reused when a new sample lands in it, so memory stays bounded
 * (slices are allocated on first use: an idle upstream costs nothing).
 */
export class SliceRing {
  readonly sliceMs: number;
  private readonly slots: (Slice | undefined)[];

  constructor(sliceMs: number, length: number) {
    this.sliceMs = sliceMs;
    this.slots = new Array<Slice | undefined>(length);
  }

  get length(): number {
    return this.slots.length;
  }

  add(sample: SlaSample): void {
    this.sliceAt(sample.at).add(sample);
  }

  /** The slice covering `at`, emptied first if its slot held an older one. */
  sliceAt(at: number): Slice {
    const index = Math.floor(at / this.sliceMs);
    const start = index * this.sliceMs;
    const slot = index % this.slots.length;
    let slice = this.slots[slot];
    if (slice === undefined) slice = this.slots[slot] = new Slice(start);
    else if (slice.start !== start) {
      // A sample older than the slot's slice (a clock step back) would erase newer data: keep it out.
      if (start < slice.start) return new Slice(start);
      slice.reset(start);
    }
    return slice;
  }

  /** Slices that started at or after `from` and before `until` (slice starts), oldest first. */
  slicesBetween(from: number, until: number): Slice[] {
    const out: Slice[] = [];
    for (const slice of this.slots) if (slice !== undefined && slice.start >= from && slice.start < until && slice.total > 0) out.push(slice);
    return out.sort((a, b) => a.start - b.start);
  }
}
