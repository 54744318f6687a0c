import { DENSE_NAMES } from './features.ts';
import type { PromptFeatures } from './features.ts';

export interface TrainingExample {
  features: PromptFeatures;
  /** Soft target in [0, 1]: the share of local models that failed where premium could succeed. */
  target: number;
  weight?: number;
}

export interface LogisticOptions {
  buckets: number;
  epochs: number;
  learningRate: number;
  /** L2 penalty per example step on the hashed weights. */
  l2: number;
  /** L2 penalty per example step on the dense weights (not the bias). */
  l2Dense: number;
  /** Step size of the dense weights and bias, relative to `learningRate`. */
  denseRate: number;
  seed: number;
}

export interface LogisticModel {
  bias: number;
  dense: Float64Array;
  hashed: Float64Array;
}

/** A small seeded PRNG (mulberry32), so a training run is reproducible bit for bit. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function predict(model: LogisticModel, f: PromptFeatures): number {
  let z = model.bias;
  for (let i = 0; i < f.length; i++) z += model.hashed[f.indices[i]!]! * f.values[i]!;
  for (let i = 0; i < f.dense.length; i++) z += model.dense[i]! * f.dense[i]!;
  return 1 / (1 + Math.exp(-z));
}

/**
 * Logistic regression on soft targets (cross-entropy), AdaGrad steps, examples in a seeded shuffled
 * order each epoch. Small and exact enough for a few thousand prompts; no dependency.
 */
export function trainLogistic(examples: readonly TrainingExample[], options: LogisticOptions): LogisticModel {
  const model: LogisticModel = { bias: 0, dense: new Float64Array(DENSE_NAMES.length), hashed: new Float64Array(options.buckets) };
  const gHashed = new Float64Array(options.buckets).fill(1e-8);
  const gDense = new Float64Array(DENSE_NAMES.length).fill(1e-8);
  let gBias = 1e-8;
  const random = seededRandom(options.seed);
  const order = examples.map((_, i) => i);
  const rate = options.learningRate;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const at of order) {
      const example = examples[at]!;
      const f = example.features;
      const error = (predict(model, f) - example.target) * (example.weight ?? 1);
      gBias += error * error;
      model.bias -= (rate * options.denseRate * error) / Math.sqrt(gBias);
      for (let k = 0; k < f.length; k++) {
        const b = f.indices[k]!;
        const g = error * f.values[k]! + options.l2 * model.hashed[b]!;
        gHashed[b]! += g * g;
        model.hashed[b]! -= (rate * g) / Math.sqrt(gHashed[b]!);
      }
      for (let k = 0; k < f.dense.length; k++) {
        const g = error * f.dense[k]! + options.l2Dense * model.dense[k]!;
        gDense[k]! += g * g;
        model.dense[k]! -= (rate * options.denseRate * g) / Math.sqrt(gDense[k]!);
      }
    }
  }
  return model;
}
