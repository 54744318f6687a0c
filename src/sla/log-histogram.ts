/**
 * Log-bucketed latency histogram (DDSketch-style mapping, decision 0019): bucket i ≥ 1 holds
 * (γ^(i-1), γ^i] milliseconds and reports 2γ^i/(γ+1), so any value above 1 ms comes back within
 * (γ-1)/(γ+1) ≈ 2.4 % of itself; bucket 0 holds [0, 1] ms and reports 0.5 ms (off by at most 0.5 ms).
 * The mapping is fixed, not configured: every replica must bucket alike for their counts to add up in Redis.
 */
export const GAMMA = 1.05;
const LOG_GAMMA = Math.log(GAMMA);
/** Values above this (one hour) land in the last bucket. */
export const MAX_TRACKED_MS = 3_600_000;
export const BUCKETS = Math.ceil(Math.log(MAX_TRACKED_MS) / LOG_GAMMA) + 1;

/** The bucket a duration in milliseconds falls in. */
export function bucketOf(ms: number): number {
  if (!(ms > 1)) return 0;
  const i = Math.ceil(Math.log(ms) / LOG_GAMMA);
  return i < BUCKETS ? i : BUCKETS - 1;
}

/** The value a bucket reports: the point whose relative distance to both edges is equal. */
export function bucketValue(bucket: number): number {
  if (bucket === 0) return 0.5;
  return (2 * GAMMA ** bucket) / (GAMMA + 1);
}

/**
 * The q-quantile (0 < q ≤ 1) by nearest rank — the value of the ⌈q·n⌉-th smallest sample — of a
 * histogram holding `total` samples; null when it holds none.
 */
export function quantileOf(counts: ArrayLike<number>, total: number, q: number): number | null {
  if (total <= 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    seen += counts[i]!;
    if (seen >= rank) return bucketValue(i);
  }
  return bucketValue(counts.length - 1);
}
