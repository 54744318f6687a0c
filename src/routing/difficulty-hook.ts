import type { CanonicalRequest } from '../canonical/index.ts';

/** Where a `difficulty` route puts its threshold (`routes[].difficulty`). */
export interface DifficultySpec {
  premiumShare?: number | undefined;
  qualityTarget?: number | undefined;
}

/**
 * The learned router as routing sees it (src/difficulty provides it): a score of how much a prompt
 * needs the premium tier, and the score above which a route's spec sends it there.
 */
export interface DifficultyScorer {
  /** Premium when `score > thresholdFor(spec)`. */
  score(request: CanonicalRequest): number;
  thresholdFor(spec: DifficultySpec): number;
}
