/**
 * One-parameter logistic (Rasch) item-response model, fitted in TypeScript for the training labels
 * (docs/router.md): P(model m answers item i right) = σ(ability_m − difficulty_i).
 *
 * Why: one pair's 0/1 outcome on a question is mostly noise about the question; 28 models' outcomes,
 * weighed by how strong each model is, give a per-question difficulty that should not depend on the
 * pair a router is later used with. A model that misses an item every strong model gets right says
 * less than the strong models missing it, which a plain "share wrong" cannot express.
 *
 * Fitted by joint maximum a posteriori: Gaussian priors on both sets of parameters (they make items
 * that every model got right or wrong finite, and fix the scale's origin), alternating one Newton step
 * per parameter. Deterministic: fixed order, fixed iteration count, no randomness.
 */

export interface RaschOptions {
  /** Prior standard deviation of item difficulties (logits). */
  difficultySd: number;
  /** Prior standard deviation of model abilities (logits); wide, the data decides. */
  abilitySd: number;
  iterations: number;
}

export const DEFAULT_RASCH: RaschOptions = { difficultySd: 2, abilitySd: 10, iterations: 50 };

export interface RaschFit {
  difficulty: Float64Array;
  ability: Float64Array;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * `responses[i][m]`: 1 right, 0 wrong, null not asked. An item or model without any response keeps
 * its prior mean (0).
 */
export function fitRasch(responses: readonly (readonly (number | null)[])[], models: number, options: RaschOptions = DEFAULT_RASCH): RaschFit {
  const difficulty = new Float64Array(responses.length);
  const ability = new Float64Array(models);
  const precisionB = 1 / (options.difficultySd * options.difficultySd);
  const precisionT = 1 / (options.abilitySd * options.abilitySd);
  for (let round = 0; round < options.iterations; round++) {
    for (let i = 0; i < responses.length; i++) {
      const row = responses[i]!;
      let gradient = -difficulty[i]! * precisionB;
      let curvature = precisionB;
      for (let m = 0; m < models; m++) {
        const y = row[m];
        if (y === null || y === undefined) continue;
        const p = sigmoid(ability[m]! - difficulty[i]!);
        gradient += p - y;
        curvature += p * (1 - p);
      }
      difficulty[i]! += gradient / curvature;
    }
    for (let m = 0; m < models; m++) {
      let gradient = -ability[m]! * precisionT;
      let curvature = precisionT;
      for (let i = 0; i < responses.length; i++) {
        const y = responses[i]![m];
        if (y === null || y === undefined) continue;
        const p = sigmoid(ability[m]! - difficulty[i]!);
        gradient += y - p;
        curvature += p * (1 - p);
      }
      ability[m]! += gradient / curvature;
    }
  }
  return { difficulty, ability };
}

/**
 * The training target of an item: the probability that a model of the mean ability of `reference`
 * (the local-class models) answers it wrong, σ(difficulty − mean ability). On the same 0–1 scale as
 * "share of local models wrong", but smoothed by every model's outcome.
 */
export function failureProbability(fit: RaschFit, reference: readonly number[]): Float64Array {
  const mean = reference.reduce((s, m) => s + fit.ability[m]!, 0) / reference.length;
  return fit.difficulty.map((b) => sigmoid(b - mean));
}
