import type { DifficultyRouter } from '../../difficulty/index.ts';
import { resolveDataDir } from './data-dir.ts';
import { loadMmluPro, loadWizardLm, mmluProOutcome, mmluProPrompt } from './datasets.ts';
import type { EvalItem, EvalSet } from './datasets.ts';
import { apgrInterval, auroc, oracleMetrics, randomMetrics, routerMetrics, spearman } from './metrics.ts';
import type { RouterMetrics, ScoredItem } from './metrics.ts';
import { routineHardPools } from './routine-hard-pools.ts';
import { evaluationOverlapIndex, evaluationSets, mmluProSplit } from './training-data.ts';

/** RouteLLM's cost assumption (Ong et al. 2024): GPT-4 Turbo $24.7 and Mixtral-8x7B $0.24 per million tokens. */
export const STRONG_PRICE = 24.7;
export const WEAK_PRICE = 0.24;

export interface SetReport {
  name: string;
  pair: string;
  kind: 'routellm' | 'cross-source';
  n: number;
  dropped: number;
  router: RouterMetrics;
  /** 95% bootstrap interval of the router's APGR. */
  apgrInterval: [number, number];
  random: RouterMetrics;
  /** A rule, not a model: the longer the prompt, the more premium. The baseline any learned router must beat. */
  length: RouterMetrics;
  oracle: RouterMetrics;
}

export interface RouterEvalReport {
  sets: SetReport[];
  /**
   * The held-out chat prompts labelled by source (never trained on): how well the score separates hard
   * (Arena-Hard) from routine (BANKING77, Self-Instruct) prompts, and the share of each sent premium.
   */
  chat: { auroc: number; pools: Array<{ source: string; kind: 'hard' | 'routine'; n: number; atShare30: number; atQuality95: number }> };
  /** Spearman ρ between the score and WizardLM's human difficulty (1–10), and the same for prompt length. */
  wizardLm: { n: number; rho: number; lengthRho: number };
}

function scoreItems(router: DifficultyRouter, items: readonly EvalItem[]): ScoredItem[] {
  return items.map((item) => ({ score: router.scoreText(item.turns.join('\n'), item.turns.length), weak: item.weak, strong: item.strong }));
}

function report(router: DifficultyRouter, set: EvalSet, kind: SetReport['kind']): SetReport {
  const items = scoreItems(router, set.items);
  return {
    name: set.name, pair: set.pair, kind, n: items.length, dropped: set.dropped,
    router: routerMetrics(items), apgrInterval: apgrInterval(items), random: randomMetrics(items),
    length: routerMetrics(set.items.map((item) => ({ score: item.turns.join('\n').length, weak: item.weak, strong: item.strong }))),
    oracle: oracleMetrics(items),
  };
}

/**
 * The held-out MMLU-Pro test split (never trained or tuned on) for model pairs other than the
 * RouteLLM one: a different source than RouteLLM's sets, and pairs the quality calibration never saw.
 */
function mmluProSets(root: string): EvalSet[] {
  const pro = loadMmluPro(root);
  const test = pro.rows.filter((row) => mmluProSplit(row.question_id) === 'test');
  const pairs: [string, string][] = [
    ['Meta-Llama-3_1-8B-Instruct', 'Meta-Llama-3_1-70B-Instruct'],
    ['Meta-Llama-3_1-8B-Instruct', 'gemini-1.5-pro-002'],
    ['Mistral-7B-Instruct-v0.1', 'Meta-Llama-3_1-70B-Instruct'],
  ];
  return pairs.map(([weak, strong]) => ({
    name: `mmlu-pro-test`,
    pair: `${strong} vs ${weak}`,
    dropped: 0,
    items: test.flatMap((row) => {
      const w = mmluProOutcome(pro, row, weak);
      const s = mmluProOutcome(pro, row, strong);
      return w === null || s === null ? [] : [{ turns: [mmluProPrompt(row)], weak: w, strong: s }];
    }),
  }));
}

export function evaluateRouter(router: DifficultyRouter, dataDir?: string): RouterEvalReport {
  const root = resolveDataDir(dataDir);
  const sets = [...evaluationSets(root).map((s) => report(router, s, 'routellm')), ...mmluProSets(root).map((s) => report(router, s, 'cross-source'))];
  const held = routineHardPools(root, evaluationOverlapIndex(root)).filter((p) => p.validation).map((p) => ({ ...p, score: router.scoreText(p.text) }));
  const atShare30 = router.thresholdFor({ premiumShare: 0.3 });
  const atQuality95 = router.thresholdFor({ qualityTarget: 0.95 });
  const pools = [...new Set(held.map((p) => p.source))].map((source) => {
    const scores = held.filter((p) => p.source === source);
    const share = (t: number) => scores.filter((p) => p.score >= t).length / scores.length;
    return { source, kind: scores[0]!.kind, n: scores.length, atShare30: share(atShare30), atQuality95: share(atQuality95) };
  });
  const scoresOf = (kind: string) => held.filter((p) => p.kind === kind).map((p) => p.score);
  const wizard = loadWizardLm(root);
  const difficulty = wizard.map((w) => w.difficulty);
  const wizardLm = { n: wizard.length, rho: spearman(wizard.map((w) => router.scoreText(w.instruction)), difficulty), lengthRho: spearman(wizard.map((w) => w.instruction.length), difficulty) };
  return { sets, chat: { auroc: auroc(scoresOf('hard'), scoresOf('routine')), pools }, wizardLm };
}


