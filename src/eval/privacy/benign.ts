import { join } from 'node:path';
import { detect, STRUCTURED_TYPES, type EntityType } from '../../privacy/index.ts';
import { readJsonl, requireFolder } from './data-files.ts';

/** Prompt sets with no personal data or secrets to speak of: any structured hit is a false positive. */
const BENIGN_SETS: ReadonlyArray<{ name: string; folder: string; file: string; texts: (row: Record<string, unknown>) => string[] }> = [
  { name: 'banking77 (test)', folder: 'banking77', file: 'test.jsonl', texts: (r) => [r.text as string] },
  { name: 'mt-bench', folder: 'mt-bench-vicuna-bench', file: 'mt_bench_questions.jsonl', texts: (r) => r.turns as string[] },
  { name: 'vicuna-bench', folder: 'mt-bench-vicuna-bench', file: 'vicuna_bench_questions.jsonl', texts: (r) => r.turns as string[] },
  { name: 'arena-hard v0.1', folder: 'arena-prompts-and-scores', file: 'arena-hard-v0.1_questions.jsonl', texts: (r) => [r.prompt as string] },
  { name: 'arena-hard v2.0', folder: 'arena-prompts-and-scores', file: 'arena-hard-v2.0_questions.jsonl', texts: (r) => [r.prompt as string] },
];

export interface BenignResult {
  name: string;
  prompts: number;
  /** Prompts where a structured type or a secret was found. */
  structuredFlagged: number;
  /** By type, for the structured hits. */
  byType: Partial<Record<EntityType, number>>;
  personFlagged: number;
  addressFlagged: number;
}

export function evaluateBenign(dataDir: string): BenignResult[] {
  return BENIGN_SETS.map((set) => {
    const folder = requireFolder(dataDir, set.folder);
    const rows = readJsonl<Record<string, unknown>>(join(folder, set.file));
    const result: BenignResult = { name: set.name, prompts: rows.length, structuredFlagged: 0, byType: {}, personFlagged: 0, addressFlagged: 0 };
    for (const row of rows) {
      const text = set.texts(row).join('\n');
      const structured = new Set(detect(text, STRUCTURED_TYPES).map((f) => f.type));
      if (structured.size > 0) result.structuredFlagged++;
      for (const t of structured) result.byType[t] = (result.byType[t] ?? 0) + 1;
      if (detect(text, ['person']).length > 0) result.personFlagged++;
      if (detect(text, ['address']).length > 0) result.addressFlagged++;
    }
    return result;
  });
}
