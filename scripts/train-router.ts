/**
 * Trains the difficulty router and writes src/difficulty/model.json (docs/router.md).
 *   npm run train:router -- [--data ../shared/data] [--out src/difficulty/model.json] [--exclude-mmlu-origin] [--no-pools] [--target rasch]
 * Deterministic: the same data and flags give the same file.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { featurize } from '../src/difficulty/features.ts';
import type { PromptFeatures } from '../src/difficulty/features.ts';
import { failureProbability, fitRasch } from '../src/difficulty/irt.ts';
import { predict, trainLogistic } from '../src/difficulty/train-logistic.ts';
import type { LogisticModel, LogisticOptions } from '../src/difficulty/train-logistic.ts';
import type { DifficultyArtifact } from '../src/difficulty/artifact.ts';
import { DEFAULT_DATA_DIR, resolveDataDir } from '../src/eval/router/data-dir.ts';
import { mmluProOutcome } from '../src/eval/router/datasets.ts';
import { auroc, routerMetrics } from '../src/eval/router/metrics.ts';
import { LOCAL_MODELS, PREMIUM_MODEL, trainingData } from '../src/eval/router/training-data.ts';
import type { MmluProExample } from '../src/eval/router/training-data.ts';

const BUCKETS = 1 << 14;
const SEED = 20261125;
/** The pair whose validation curve calibrates `qualityTarget`: the RouteLLM weak model against the premium label model. */
const CALIBRATION_WEAK = 'Mixtral-8x7B-Instruct-v0.1';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: DEFAULT_DATA_DIR },
    out: { type: 'string', default: 'src/difficulty/model.json' },
    'exclude-mmlu-origin': { type: 'boolean', default: false },
    'no-pools': { type: 'boolean', default: false },
    /** Restrict the label search to one candidate (recoverable, allWrong, localWrong, rasch); default all. */
    target: { type: 'string' },
  },
});
const root = resolveDataDir(args.data);
const data = trainingData(root, args['exclude-mmlu-origin']);

function owned(text: string): PromptFeatures {
  const f = featurize(text, BUCKETS);
  return { ...f, indices: f.indices.slice(0, f.length), values: f.values.slice(0, f.length) };
}

/** Weak/strong pairs whose mean validation APGR picks the model: one pair alone is too noisy a judge. */
const SELECTION_PAIRS: [string, string][] = [
  [CALIBRATION_WEAK, PREMIUM_MODEL],
  ['Meta-Llama-3_1-8B-Instruct', 'Meta-Llama-3_1-70B-Instruct'],
  ['Mistral-7B-Instruct-v0.1', 'gemini-1.5-flash-002'],
];

const trainExamples = data.examples.filter((e) => e.split === 'train');
/**
 * Rasch difficulty from all 28 models' outcomes on the training questions only (abilities too), read
 * as the probability that a model of the local models' mean ability fails (src/difficulty/irt.ts).
 */
const rasch = fitRasch(trainExamples.map((e) => data.pro.models.map((m) => mmluProOutcome(data.pro, e.row, m))), data.pro.models.length);
const raschFailure = failureProbability(rasch, LOCAL_MODELS.map((m) => data.pro.models.indexOf(m)));
const raschTarget = new Map(trainExamples.map((e, i) => [e, raschFailure[i]!]));
/**
 * Candidate MMLU-Pro labels, all judged by the same validation criterion below; on a tie the earlier
 * one stays. The model-agnostic ones (the last three) were added as an experiment (docs/router.md).
 */
const TARGETS = {
  recoverable: (e: MmluProExample) => e.target,
  allWrong: (e: MmluProExample) => e.allWrong,
  localWrong: (e: MmluProExample) => e.localWrong,
  rasch: (e: MmluProExample) => raschTarget.get(e)!,
} as const;
const TARGET_DESCRIPTIONS: Record<keyof typeof TARGETS, string> = {
  recoverable: `mean over local models of (local wrong AND ${PREMIUM_MODEL} right)`,
  allWrong: 'share of all 28 MMLU-Pro models wrong',
  localWrong: 'share of local models wrong',
  rasch: 'Rasch (1PL) difficulty over all 28 models: P(a model of the local models\' mean ability is wrong)',
};

/**
 * Soft targets of the source-labelled chat prompts: a hard Arena prompt is taken to need premium about
 * as often as a harder-than-median MMLU-Pro question (0.5 under the `recoverable` label), a routine one
 * almost never.
 */
const HARD_TARGET = 0.5;
const ROUTINE_TARGET = 0.02;
/**
 * The other labels have other scales (a local model fails most MMLU-Pro questions), so a hard chat
 * prompt gets the value at the same rank among training questions as 0.5 holds under `recoverable`:
 * the chat prompts keep their place relative to the exam questions whatever the label. A routine
 * prompt's 0.02 means "a local model almost never fails" in every scale and stays.
 */
function hardTargetFor(target: keyof typeof TARGETS): number {
  if (target === 'recoverable') return HARD_TARGET;
  const rank = trainExamples.filter((e) => e.target <= HARD_TARGET).length / trainExamples.length;
  const sorted = trainExamples.map(TARGETS[target]).sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(rank * sorted.length))]!;
}
const usePools = !args['no-pools'];

const trainFeatures = trainExamples.map((e) => owned(e.prompt));
const poolTrain = usePools ? data.pools.filter((p) => !p.validation).map((p) => ({ kind: p.kind, features: owned(p.text) })) : [];
const poolValidation = data.pools.filter((p) => p.validation).map((p) => ({ kind: p.kind, features: owned(p.text) }));
const poolAuroc = (model: LogisticModel) =>
  auroc(poolValidation.filter((p) => p.kind === 'hard').map((p) => predict(model, p.features)), poolValidation.filter((p) => p.kind === 'routine').map((p) => predict(model, p.features)));
const validation = data.examples.filter((e) => e.split === 'validation').map((e) => ({ ...e, features: owned(e.prompt) }));

function validationItems(model: LogisticModel, weakModel = CALIBRATION_WEAK, strongModel = PREMIUM_MODEL) {
  return validation.flatMap((e) => {
    const weak = mmluProOutcome(data.pro, e.row, weakModel);
    const strong = mmluProOutcome(data.pro, e.row, strongModel);
    return weak === null || strong === null ? [] : [{ score: predict(model, e.features), weak, strong }];
  });
}

// Model selection on the validation split only; evaluation sets never take part.
let best: { options: LogisticOptions; target: keyof typeof TARGETS; model: LogisticModel; apgr: number } | undefined;
const candidates = (Object.keys(TARGETS) as (keyof typeof TARGETS)[]).filter((t) => args.target === undefined || t === args.target);
if (candidates.length === 0) throw new Error(`--target must be one of ${Object.keys(TARGETS).join(', ')}`);
for (const target of candidates) {
  const hardTarget = hardTargetFor(target);
  const pools = poolTrain.map((p) => ({ features: p.features, target: p.kind === 'hard' ? hardTarget : ROUTINE_TARGET }));
  const train = [...trainExamples.map((e, i) => ({ features: trainFeatures[i]!, target: TARGETS[target](e) })), ...pools];
  for (const l2 of [1e-3, 1e-2, 1e-1]) for (const epochs of [3, 10]) for (const learningRate of [0.02, 0.1]) for (const denseRate of [1, 10]) {
    const options: LogisticOptions = { buckets: BUCKETS, epochs, learningRate, l2, l2Dense: 1e-4, denseRate, seed: SEED };
    const model = trainLogistic(train, options);
    const apgrs = SELECTION_PAIRS.map(([w, s]) => routerMetrics(validationItems(model, w, s)).apgr);
    // Three MMLU-Pro pairs and the held-out hard-vs-routine chat prompts count alike (AUROC, like APGR, is 0.5 at random).
    const apgr = (apgrs.reduce((a, b) => a + b, 0) + (usePools ? poolAuroc(model) : 0)) / (SELECTION_PAIRS.length + (usePools ? 1 : 0));
    process.stderr.write(`target=${target} hard=${hardTarget.toFixed(3)} l2=${l2} epochs=${epochs} lr=${learningRate} denseRate=${denseRate}: APGR ${apgrs.map((a) => a.toFixed(3)).join(' ')} chat AUROC ${poolAuroc(model).toFixed(3)} → ${apgr.toFixed(4)}\n`);
    if (!best || apgr > best.apgr) best = { options, target, model, apgr };
  }
}
const { model, options } = best!;

const round = (x: number) => Number(x.toPrecision(5));
const scoreOf = (text: string) => predict(model, owned(text));
const poolScores = data.referencePool.map(scoreOf).sort((a, b) => b - a);
const shareQuantiles = Array.from({ length: 101 }, (_, i) => round(poolScores[Math.min(poolScores.length - 1, Math.floor((i / 100) * poolScores.length))]!));
shareQuantiles[0] = 1;

const items = validationItems(model).sort((a, b) => b.score - a.score);
const strongTotal = items.reduce((s, i) => s + i.strong, 0);
const qualityCurve: DifficultyArtifact['calibration']['qualityCurve'] = [];
let quality = items.reduce((s, i) => s + i.weak, 0);
qualityCurve.push({ threshold: 1, premiumShare: 0, qualityRatio: round(quality / strongTotal) });
for (let k = 0; k < items.length; k++) {
  quality += items[k]!.strong - items[k]!.weak;
  const next = items[k + 1];
  if (next && next.score === items[k]!.score) continue;
  // Premium when score > threshold: the midpoint to the next score keeps prompts 0..k premium.
  const threshold = next ? (items[k]!.score + next.score) / 2 : -1;
  if ((k + 1) % Math.ceil(items.length / 100) === 0 || !next) qualityCurve.push({ threshold: round(threshold), premiumShare: round((k + 1) / items.length), qualityRatio: round(quality / strongTotal) });
}

const hashed: [number, number][] = [];
model.hashed.forEach((w, i) => {
  if (Math.abs(w) >= 1e-4) hashed.push([i, round(w)]);
});
const files = [
  'mmlu-pro-model-outcomes/mmlu_pro_outcomes_sample.jsonl', 'mmlu-pro-model-outcomes/models.json', 'arena-prompts-and-scores/arena-hard-v0.1_questions.jsonl',
  'arena-prompts-and-scores/arena-hard-v2.0_questions.jsonl', 'mt-bench-vicuna-bench/vicuna_bench_questions.jsonl', 'banking77/train.jsonl', 'banking77/test.jsonl',
  'self-instruct/seed_tasks.jsonl', 'self-instruct/user_oriented_instructions.jsonl',
];
const artifact: DifficultyArtifact = {
  format: 'moat-difficulty/1',
  buckets: BUCKETS,
  bias: round(model.bias),
  dense: [...model.dense].map(round),
  hashed,
  calibration: {
    shareQuantiles,
    shareSource: `score quantiles over ${poolScores.length} held-out chat prompts: Arena-Hard (1 in 5), BANKING77 test (1 in 10), Self-Instruct (1 in 5), Vicuna-bench`,
    qualityCurve,
    qualitySource: `MMLU-Pro validation split (${items.length} questions), ${CALIBRATION_WEAK} vs ${PREMIUM_MODEL}`,
  },
  training: {
    script: 'scripts/train-router.ts',
    target: TARGET_DESCRIPTIONS[best!.target],
    localModels: LOCAL_MODELS,
    premiumModel: PREMIUM_MODEL,
    excludeMmluOrigin: args['exclude-mmlu-origin'],
    trainExamples: trainExamples.length,
    validationExamples: validation.length,
    dropped: data.dropped,
    options,
    selectionScore: round(best!.apgr),
    chatPools: usePools ? { hardTarget: round(hardTargetFor(best!.target)), routineTarget: ROUTINE_TARGET, train: poolTrain.length, validationAuroc: round(poolAuroc(model)) } : null,
    selectionPairs: SELECTION_PAIRS,
    data: Object.fromEntries(files.map((f) => [f, createHash('sha256').update(readFileSync(join(root, f))).digest('hex').slice(0, 16)])),
  },
};
writeFileSync(args.out, `${JSON.stringify(artifact)}\n`);
process.stderr.write(`wrote ${args.out}: ${trainExamples.length} training prompts, target ${best!.target}, options ${JSON.stringify(options)}, ${hashed.length} hashed weights, dropped ${JSON.stringify(data.dropped)}\n`);
