import type { DifficultyArtifact } from './artifact.ts';

/** A route's threshold: the share of its traffic to send premium, or the quality to keep (exactly one). */
export interface ThresholdSpec {
  premiumShare?: number | undefined;
  qualityTarget?: number | undefined;
}

/**
 * The score above which a request goes premium. `premiumShare` reads the quantiles of the reference
 * pool (so 0.3 sends the hardest 30% of traffic like that pool); `qualityTarget` (e.g. 0.95 of the
 * premium model's quality) reads the held-out quality curve and takes the lowest premium share that
 * reaches it. Both are estimates from the training data, stated in docs/router.md.
 */
export function thresholdFor(calibration: DifficultyArtifact['calibration'], spec: ThresholdSpec): number {
  if ((spec.premiumShare === undefined) === (spec.qualityTarget === undefined)) throw new RangeError('give exactly one of premiumShare or qualityTarget');
  if (spec.premiumShare !== undefined) {
    const share = spec.premiumShare;
    if (!(share >= 0 && share <= 1)) throw new RangeError(`premiumShare must be within [0, 1], got ${share}`);
    if (share === 0) return Number.POSITIVE_INFINITY;
    if (share === 1) return Number.NEGATIVE_INFINITY;
    const q = calibration.shareQuantiles;
    const at = share * 100;
    const i = Math.floor(at);
    const frac = at - i;
    return frac === 0 ? q[i]! : q[i]! + (q[i + 1]! - q[i]!) * frac;
  }
  const target = spec.qualityTarget!;
  if (!(target > 0 && target <= 1.5)) throw new RangeError(`qualityTarget must be within (0, 1.5], got ${target}`);
  for (const point of calibration.qualityCurve) if (point.qualityRatio >= target) return point.threshold;
  return Number.NEGATIVE_INFINITY;
}
