import { BUCKETS, bucketOf } from './log-histogram.ts';
import { CLASS_INDEX, OUTCOME_CLASSES, type SlaSample } from './outcome-class.ts';

/**
 * What one upstream did during one time slice (e.g. 10 s): exact counts per outcome class, and
 * log-bucket histograms of the latency and time to first token of successful attempts. Slices add up: across time into windows,
 * across replicas through Redis.
 */
export class Slice {
  start: number;
  readonly counts = new Float64Array(OUTCOME_CLASSES.length);
  readonly latency = new Uint32Array(BUCKETS);
  readonly ttft = new Uint32Array(BUCKETS);
  ttftSamples = 0;
  /** The lowest and highest bucket in use, in either histogram, so sums skip the empty ends. */
  lo = BUCKETS;
  hi = -1;

  constructor(start: number) {
    this.start = start;
  }

  get total(): number {
    const c = this.counts;
    return c[0]! + c[1]! + c[2]! + c[3]! + c[4]! + c[5]!;
  }

  /** Latency and TTFT are kept for successful attempts only: a fast 500 must not flatter the percentiles. */
  add(sample: SlaSample): void {
    this.counts[CLASS_INDEX[sample.outcome]]!++;
    if (sample.outcome !== 'ok') return;
    this.count(this.latency, bucketOf(sample.latencyMs));
    if (sample.ttftMs !== null) {
      this.count(this.ttft, bucketOf(sample.ttftMs));
      this.ttftSamples++;
    }
  }

  /** Adds `n` to one bucket of one of this slice's histograms. */
  count(histogram: Uint32Array, bucket: number, n = 1): void {
    histogram[bucket]! += n;
    if (bucket < this.lo) this.lo = bucket;
    if (bucket > this.hi) this.hi = bucket;
  }

  merge(other: Slice): void {
    for (let i = 0; i < this.counts.length; i++) this.counts[i]! += other.counts[i]!;
    for (let i = other.lo; i <= other.hi; i++) {
      this.latency[i]! += other.latency[i]!;
      this.ttft[i]! += other.ttft[i]!;
    }
    if (other.lo < this.lo) this.lo = other.lo;
    if (other.hi > this.hi) this.hi = other.hi;
    this.ttftSamples += other.ttftSamples;
  }

  /** Empties the slice and moves it to another start (ring slots are reused, not reallocated). */
  reset(start: number): void {
    this.start = start;
    this.counts.fill(0);
    this.latency.fill(0);
    this.ttft.fill(0);
    this.ttftSamples = 0;
    this.lo = BUCKETS;
    this.hi = -1;
  }
}
