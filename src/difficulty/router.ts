import { readFileSync } from 'node:fs';
import type { CanonicalRequest } from '../canonical/index.ts';
import { difficultyArtifact } from './artifact.ts';
import type { DifficultyArtifact } from './artifact.ts';
import { featurize, newFeatures, promptText } from './features.ts';
import type { PromptFeatures } from './features.ts';
import { thresholdFor } from './thresholds.ts';
import type { ThresholdSpec } from './thresholds.ts';

export interface DifficultyRouter {
  /** P(the local tier fails where premium succeeds), in (0, 1). Pure; no I/O. */
  score(request: Pick<CanonicalRequest, 'messages'>): number;
  /** The same score for bare prompt text (evaluation, benchmarks). */
  scoreText(text: string, messages?: number, hasSystem?: boolean): number;
  /** Premium when `score >= thresholdFor(spec)`. */
  thresholdFor(spec: ThresholdSpec): number;
  readonly artifact: DifficultyArtifact;
}

export const DEFAULT_ARTIFACT_URL = new URL('./model.json', import.meta.url);

/** Builds a router from a parsed artifact; the scratch buffers are reused, so a router is not re-entrant across threads. */
export function createDifficultyRouter(artifact: DifficultyArtifact): DifficultyRouter {
  const weights = new Float64Array(artifact.buckets);
  for (const [bucket, weight] of artifact.hashed) {
    if (bucket >= artifact.buckets) throw new RangeError(`difficulty artifact: bucket ${bucket} out of range`);
    weights[bucket] = weight;
  }
  const dense = Float64Array.from(artifact.dense);
  const scratch: PromptFeatures = newFeatures(0);
  const scoreText = (text: string, messages = 1, hasSystem = false): number => {
    const f = featurize(text, artifact.buckets, messages, hasSystem, scratch, weights);
    let z = artifact.bias + f.dot * f.scale;
    for (let i = 0; i < dense.length; i++) z += dense[i]! * f.dense[i]!;
    return 1 / (1 + Math.exp(-z));
  };
  return {
    artifact,
    scoreText,
    score(request) {
      const hasSystem = request.messages.some((m) => m.role === 'system' || m.role === 'developer');
      return scoreText(promptText(request), request.messages.length, hasSystem);
    },
    thresholdFor: (spec) => thresholdFor(artifact.calibration, spec),
  };
}

let shipped: DifficultyRouter | undefined;

/** The router from the shipped artifact (read and checked once), or from `path`. */
export function loadDifficultyRouter(path?: string | URL): DifficultyRouter {
  if (path === undefined && shipped) return shipped;
  const raw: unknown = JSON.parse(readFileSync(path ?? DEFAULT_ARTIFACT_URL, 'utf8'));
  const router = createDifficultyRouter(difficultyArtifact.parse(raw));
  if (path === undefined) shipped = router;
  return router;
}
