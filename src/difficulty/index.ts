/**
 * Difficulty router (issue 7, docs/router.md): scores how much a prompt needs the premium tier.
 *
 *   const router = loadDifficultyRouter();            // the shipped src/difficulty/model.json, parsed once
 *   const score = router.score(canonicalRequest);     // P(local fails where premium succeeds), (0, 1), ~µs
 *   const t = router.thresholdFor({ premiumShare: 0.3 }) // or { qualityTarget: 0.95 }
 *   const premium = score >= t;
 *
 * `premiumShare` reads score quantiles of a reference prompt pool; `qualityTarget` (a fraction of the
 * premium model's quality) reads the held-out quality curve. Both are shipped in the artifact.
 * Retrain with `npm run train:router`; evaluate with `moat eval router`.
 */
export { createDifficultyRouter, DEFAULT_ARTIFACT_URL, loadDifficultyRouter } from './router.ts';
export type { DifficultyRouter } from './router.ts';
export type { ThresholdSpec } from './thresholds.ts';
export { difficultyArtifact } from './artifact.ts';
export type { DifficultyArtifact } from './artifact.ts';
export { DENSE_NAMES, featurize, promptText } from './features.ts';
