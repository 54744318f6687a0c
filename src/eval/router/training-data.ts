import { loadGsm8k, loadMmlu, loadMmluPro, loadMtBench, loadVicuna, mmluProOutcome, mmluProPrompt } from './datasets.ts';
import type { EvalSet, MmluPro, MmluProRow } from './datasets.ts';
import { readJsonl } from './data-dir.ts';
import { OverlapIndex } from './dedup.ts';
import { routineHardPools } from './routine-hard-pools.ts';
import type { PoolPrompt } from './routine-hard-pools.ts';

/** Local-class models whose failures make the soft target; the premium model decides if a failure is recoverable. */
export const LOCAL_MODELS = [
  'Mixtral-8x7B-Instruct-v0.1', 'Meta-Llama-3_1-8B-Instruct', 'Mistral-7B-Instruct-v0.2', 'Phi-3-mini-4k-instruct', 'Qwen1.5-7B-Chat', 'gemma-7b', 'Yi-6b-Chat',
] as const;
export const PREMIUM_MODEL = 'gemini-1.5-pro-002';

export type Split = 'train' | 'validation' | 'test';

/** A fixed split of MMLU-Pro by question id (70/15/15), shared by training and evaluation. */
export function mmluProSplit(questionId: number): Split {
  const h = Math.imul(questionId ^ 0x2545f491, 0x9e3779b1) >>> 0;
  const bucket = h % 100;
  return bucket < 70 ? 'train' : bucket < 85 ? 'validation' : 'test';
}

/** Every evaluation set Moat reports on, so training data can be checked against each of them. */
export function evaluationSets(root: string): EvalSet[] {
  return [loadGsm8k(root), loadMmlu(root), loadMtBench(root)];
}

export function evaluationOverlapIndex(root: string): OverlapIndex {
  const index = new OverlapIndex();
  for (const set of evaluationSets(root)) for (const item of set.items) for (const turn of item.turns) index.add(turn);
  // The same GSM8K problems in their original copy, and MT-Bench's second copy, in case they differ.
  for (const row of readJsonl<{ question: string }>(root, 'gsm8k/test.jsonl')) index.add(row.question);
  for (const row of readJsonl<{ turns: string[] }>(root, 'mt-bench-vicuna-bench/mt_bench_questions.jsonl')) for (const t of row.turns) index.add(t);
  return index;
}

export interface MmluProExample {
  row: MmluProRow;
  prompt: string;
  split: Split;
  /** Mean over LOCAL_MODELS of (local wrong AND premium right). */
  target: number;
  /** Share of every MMLU-Pro model that answered wrong: a smoother difficulty target. */
  allWrong: number;
  /** Share of LOCAL_MODELS that answered wrong, whatever premium did: difficulty for the local class. */
  localWrong: number;
}

export interface TrainingData {
  pro: MmluPro;
  examples: MmluProExample[];
  dropped: { overlapsEvaluation: number; mmluOrigin: number; noOutcome: number };
  /** Chat prompts labelled hard or routine by their source (routine-hard-pools.ts). */
  pools: PoolPrompt[];
  /** Held-out prompts whose score quantiles calibrate `premiumShare`. */
  referencePool: string[];
}

/** MMLU-Pro minus anything overlapping an evaluation set (and, with `excludeMmluOrigin`, minus every MMLU-derived question). */
export function trainingData(root: string, excludeMmluOrigin: boolean): TrainingData {
  const index = evaluationOverlapIndex(root);
  const pro = loadMmluPro(root);
  const dropped = { overlapsEvaluation: 0, mmluOrigin: 0, noOutcome: 0 };
  const examples: MmluProExample[] = [];
  for (const row of pro.rows) {
    if (index.overlaps(row.question)) {
      dropped.overlapsEvaluation++;
      continue;
    }
    if (excludeMmluOrigin && row.src.startsWith('ori_mmlu')) {
      dropped.mmluOrigin++;
      continue;
    }
    const premium = mmluProOutcome(pro, row, PREMIUM_MODEL);
    const local = LOCAL_MODELS.map((m) => mmluProOutcome(pro, row, m)).filter((v): v is number => v !== null);
    if (premium === null || local.length === 0) {
      dropped.noOutcome++;
      continue;
    }
    const target = local.reduce((sum, ok) => sum + (1 - ok) * premium, 0) / local.length;
    const localWrong = 1 - local.reduce((sum, ok) => sum + ok, 0) / local.length;
    const all = pro.models.map((m) => mmluProOutcome(pro, row, m)).filter((v): v is number => v !== null);
    const allWrong = 1 - all.reduce((sum, ok) => sum + ok, 0) / all.length;
    examples.push({ row, prompt: mmluProPrompt(row), split: mmluProSplit(row.question_id), target, allWrong, localWrong });
  }
  const pools = routineHardPools(root, index);
  // Chat traffic, none of it trained on: held-out hard and routine prompts, and Vicuna-bench.
  const referencePool = [...pools.filter((p) => p.validation).map((p) => p.text), ...loadVicuna(root).filter((p) => !index.overlaps(p))];
  return { pro, examples, dropped, pools, referencePool };
}
