import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MissingDataError, readJsonl } from './data-dir.ts';
import { normalizeText } from './dedup.ts';

/** A routing prompt: the user turns as the gateway would see them, and each model's quality on it. */
export interface EvalItem {
  turns: string[];
  weak: number;
  strong: number;
}

export interface EvalSet {
  name: string;
  pair: string;
  items: EvalItem[];
  /** RouteLLM's contaminated prompts removed. */
  dropped: number;
}

interface OutcomeRow {
  prompt: string;
  mixtral_8x7b_correct: boolean;
  gpt4_1106_correct: boolean;
}

const ROUTELLM_PAIR = 'gpt-4-1106-preview vs Mixtral-8x7B-Instruct';

function contaminated(root: string, name: string): Set<string> {
  return new Set(readJsonl<{ eval_prompt: string }>(root, `routellm-evals/contaminated_prompts_${name}.jsonl`).map((r) => normalizeText(r.eval_prompt)));
}

function outcomes(root: string, name: string, files: string[]): EvalSet {
  const drop = contaminated(root, name);
  const rows = files.flatMap((file) => readJsonl<OutcomeRow>(root, `routellm-evals/${file}`));
  const kept = rows.filter((r) => !drop.has(normalizeText(r.prompt)));
  return {
    name,
    pair: ROUTELLM_PAIR,
    items: kept.map((r) => ({ turns: [r.prompt], weak: Number(r.mixtral_8x7b_correct), strong: Number(r.gpt4_1106_correct) })),
    dropped: rows.length - kept.length,
  };
}

export function loadGsm8k(root: string): EvalSet {
  return outcomes(root, 'gsm8k', ['gsm8k_outcomes.jsonl']);
}

export function loadMmlu(root: string): EvalSet {
  return outcomes(root, 'mmlu', ['mmlu_outcomes_sample50_part1.jsonl', 'mmlu_outcomes_sample50_part2.jsonl']);
}

interface MtQuestion {
  question_id: number;
  turns: string[];
}

/** MT-Bench per turn: turn 2's request carries both user turns, as the gateway would see it. */
export function loadMtBench(root: string): EvalSet {
  const drop = contaminated(root, 'mt_bench');
  const questions = readJsonl<MtQuestion>(root, 'routellm-evals/mt_bench_questions.jsonl');
  const scores = new Map<string, number>();
  for (const s of readJsonl<{ question_id: number; model: string; turn: number; score: number }>(root, 'routellm-evals/mt_bench_scores.jsonl')) {
    scores.set(`${s.question_id}/${s.model.startsWith('gpt-4') ? 'strong' : 'weak'}/${s.turn}`, s.score);
  }
  const kept = questions.filter((q) => !drop.has(normalizeText(q.turns[0]!)));
  const items: EvalItem[] = [];
  for (const q of kept) {
    for (const turn of [1, 2]) {
      const weak = scores.get(`${q.question_id}/weak/${turn}`);
      const strong = scores.get(`${q.question_id}/strong/${turn}`);
      if (weak === undefined || strong === undefined) continue;
      items.push({ turns: q.turns.slice(0, turn), weak, strong });
    }
  }
  return { name: 'mt-bench', pair: ROUTELLM_PAIR, items, dropped: questions.length - kept.length };
}

export interface MmluProRow {
  question_id: number;
  category: string;
  src: string;
  question: string;
  options: string[];
  correct: string;
}

export interface MmluPro {
  models: string[];
  rows: MmluProRow[];
}

export function loadMmluPro(root: string): MmluPro {
  const path = join(root, 'mmlu-pro-model-outcomes/models.json');
  if (!existsSync(path)) throw new MissingDataError(`routing data file not found: ${path} (see docs/router.md)`);
  const { model_order: models } = JSON.parse(readFileSync(path, 'utf8')) as { model_order: string[] };
  return { models, rows: readJsonl<MmluProRow>(root, 'mmlu-pro-model-outcomes/mmlu_pro_outcomes_sample.jsonl') };
}

/** An MMLU-Pro question in RouteLLM's zero-shot MMLU prompt shape: stem, lettered options, `Answer:`. */
export function mmluProPrompt(row: MmluProRow): string {
  const options = row.options.map((option, i) => `${String.fromCharCode(65 + i)}. ${option}`);
  return `${row.question}\n${options.join('\n')}\nAnswer:`;
}

/** 1 when `model` answered right, 0 wrong, null when it has no row for the question. */
export function mmluProOutcome(pro: MmluPro, row: MmluProRow, model: string): number | null {
  const at = pro.models.indexOf(model);
  if (at < 0) throw new Error(`MMLU-Pro has no model ${model}`);
  const flag = row.correct[at];
  return flag === '1' ? 1 : flag === '0' ? 0 : null;
}

export function loadArenaHard(root: string): string[] {
  return ['arena-prompts-and-scores/arena-hard-v0.1_questions.jsonl', 'arena-prompts-and-scores/arena-hard-v2.0_questions.jsonl'].flatMap((file) =>
    readJsonl<{ prompt: string }>(root, file).map((r) => r.prompt),
  );
}

export function loadVicuna(root: string): string[] {
  return readJsonl<{ turns: string[] }>(root, 'mt-bench-vicuna-bench/vicuna_bench_questions.jsonl').map((r) => r.turns[0]!);
}

/** WizardLM's test set (NC: evaluation only, never training): instructions with a human difficulty 1–10. */
export function loadWizardLm(root: string): Array<{ instruction: string; difficulty: number; skill: string }> {
  return readJsonl<{ Instruction: string; Difficulty: number; Skill: string }>(root, 'wizardlm-testset/wizardlm_testset.jsonl').map((r) => ({
    instruction: r.Instruction,
    difficulty: r.Difficulty,
    skill: r.Skill,
  }));
}
