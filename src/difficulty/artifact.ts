import { z } from 'zod';
import { DENSE_NAMES } from './features.ts';

/**
 * The shipped model (src/difficulty/model.json), written by scripts/train-router.ts. Hashed weights are
 * stored sparse, as [bucket, weight] pairs rounded to 5 significant digits, to keep the file small.
 */
const curvePoint = z.object({
  threshold: z.number(),
  premiumShare: z.number().min(0).max(1),
  /** Mixed-system quality over the strong model's quality on the calibration split. */
  qualityRatio: z.number(),
});

export const difficultyArtifact = z.object({
  format: z.literal('moat-difficulty/1'),
  buckets: z.number().int().positive().refine((n) => (n & (n - 1)) === 0, 'buckets must be a power of two'),
  bias: z.number(),
  dense: z.array(z.number()).length(DENSE_NAMES.length),
  hashed: z.array(z.tuple([z.number().int().nonnegative(), z.number()])),
  calibration: z.object({
    /** Score quantiles over the reference traffic pool: `shareQuantiles[i]` is exceeded by i% of it. */
    shareQuantiles: z.array(z.number()).length(101),
    shareSource: z.string(),
    /** Threshold → premium share and quality ratio on the held-out training split, share ascending. */
    qualityCurve: z.array(curvePoint).min(2),
    qualitySource: z.string(),
  }),
  training: z.record(z.string(), z.unknown()),
});

export type DifficultyArtifact = z.infer<typeof difficultyArtifact>;
export type CurvePoint = z.infer<typeof curvePoint>;
