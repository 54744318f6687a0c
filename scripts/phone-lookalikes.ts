/**
 * Every phone finding on the prompt sets of ../shared/data that hold no labelled phone numbers (all of
 * them but presidio-synthetic-pii and secretlint-fixtures): the five benign sets the evaluation reports
 * and the extra look-alike sets (GSM8K, MMLU, MMLU-Pro, MT-Bench, WizardLM, Self-Instruct,
 * InstructionWild, AlpacaEval, HH-RLHF, jailbreak prompts, BIPIA, harmful-behaviour and injection sets).
 * Detection runs over the structured types, as the benign evaluation does, and only phone findings are
 * printed, one a line with a little context, so two versions of the detector can be compared with
 * `diff`. Dev-only: `node scripts/phone-lookalikes.ts [--data ../shared/data] > hits.txt`.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { detect, STRUCTURED_TYPES } from '../src/privacy/index.ts';
import { readJsonl } from '../src/eval/privacy/data-files.ts';

const i = process.argv.indexOf('--data');
const data = resolve(i === -1 ? '../shared/data' : process.argv[i + 1]!);
const LABELLED = new Set(['presidio-synthetic-pii', 'secretlint-fixtures']);

function strings(value: unknown, out: string[]): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
  return out;
}

let texts = 0;
let hits = 0;
for (const folder of readdirSync(data).sort()) {
  if (LABELLED.has(folder) || !statSync(join(data, folder)).isDirectory()) continue;
  for (const file of readdirSync(join(data, folder)).sort()) {
    if (!file.endsWith('.jsonl')) continue;
    const seen = new Set<string>();
    readJsonl<unknown>(join(data, folder, file)).forEach((row, n) => {
      for (const text of strings(row, [])) {
        // Sets repeat prompts across fields and rows (outcomes per model): each text once per file.
        if (seen.has(text)) continue;
        seen.add(text);
        texts++;
        for (const f of detect(text, STRUCTURED_TYPES)) {
          if (f.type !== 'phone') continue;
          hits++;
          const context = text.slice(Math.max(0, f.start - 30), f.end + 30).replace(/\s+/g, ' ');
          console.log(`${folder}/${file}:${n}\t${JSON.stringify(text.slice(f.start, f.end))}\t${JSON.stringify(context)}`);
        }
      }
    });
  }
}
console.error(`${texts} distinct texts, ${hits} phone findings`);
