import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDifficultyRouter } from '../../difficulty/index.ts';
import { resolveDataDir } from './data-dir.ts';
import { evaluateRouter } from './run-eval.ts';
import type { RouterEvalReport, SetReport } from './run-eval.ts';
import { trainingData } from './training-data.ts';

/**
 * The evaluation of the committed artifact (docs/router.md, "Quality gates"). Reads ../shared/data
 * (or MOAT_DATA_DIR); fails naming the folder when it is missing. Thresholds are quality, not time.
 */
const DATA = process.env.MOAT_DATA_DIR ?? fileURLToPath(new URL('../../../../shared/data', import.meta.url));
let report: RouterEvalReport;
const set = (name: string, pair?: string): SetReport => report.sets.find((s) => s.name === name && (pair === undefined || s.pair.includes(pair)))!;

beforeAll(() => {
  report = evaluateRouter(loadDifficultyRouter(), resolveDataDir(DATA));
}, 120_000);

describe('difficulty router evaluation (committed artifact)', () => {
  it("drops RouteLLM's contaminated prompts that are in the data (12 GSM8K, 2 of 5 MMLU in the 50% sample, 8 MT-Bench questions)", () => {
    expect([set('gsm8k').dropped, set('mmlu').dropped, set('mt-bench').dropped]).toEqual([12, 2, 8]);
    expect([set('gsm8k').n, set('mmlu').n, set('mt-bench').n]).toEqual([1307, 7030, 144]);
  });

  it('chat: separates held-out hard prompts (Arena-Hard) from routine ones (BANKING77, Self-Instruct): AUROC ≥ 0.90', () => {
    expect(report.chat.auroc).toBeGreaterThanOrEqual(0.9);
  });

  it('premiumShare 0.3 keeps support queries local (≤ 5% premium) and sends most Arena-Hard prompts premium (v2.0 ≥ 60%, v0.1 ≥ 40%)', () => {
    const pool = (source: string) => report.chat.pools.find((p) => p.source === source)!;
    expect(pool('banking77').atShare30).toBeLessThanOrEqual(0.05);
    expect(pool('arena-hard-v2.0').atShare30).toBeGreaterThanOrEqual(0.6);
    expect(pool('arena-hard-v0.1').atShare30).toBeGreaterThanOrEqual(0.4);
  });

  it('GSM8K and MT-Bench: at least as good as random (APGR ≥ 0.48; MT-Bench needs no more GPT-4 calls than random for 95%)', () => {
    expect(set('gsm8k').router.apgr).toBeGreaterThanOrEqual(0.48);
    const mt = set('mt-bench');
    expect(mt.router.apgr).toBeGreaterThanOrEqual(0.5);
    expect(mt.router.shareAt95!).toBeLessThanOrEqual(mt.random.shareAt95!);
  });

  it('MMLU and the held-out MMLU-Pro pairs: floors only (MMLU is a known deficit, below random): APGR ≥ 0.44 and ≥ 0.46', () => {
    expect(set('mmlu').router.apgr).toBeGreaterThanOrEqual(0.44);
    for (const s of report.sets.filter((x) => x.kind === 'cross-source')) expect(s.router.apgr).toBeGreaterThanOrEqual(0.46);
  });

  it('was trained on this data, with every question that overlaps an evaluation set removed', () => {
    const artifact = loadDifficultyRouter().artifact;
    const training = artifact.training as { data: Record<string, string>; dropped: { overlapsEvaluation: number }; trainExamples: number };
    for (const [file, hash] of Object.entries(training.data)) {
      expect(createHash('sha256').update(readFileSync(join(DATA, file))).digest('hex').slice(0, 16), file).toBe(hash);
    }
    const data = trainingData(DATA, false);
    expect(data.dropped.overlapsEvaluation).toBe(training.dropped.overlapsEvaluation);
    expect(data.dropped.overlapsEvaluation).toBeGreaterThan(1400);
    expect(data.examples.filter((e) => e.split === 'train').length).toBe(training.trainExamples);
  }, 60_000);
});
