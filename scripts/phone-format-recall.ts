/**
 * Recall of the phone detector on the synthetic sample of written formats (src/eval/privacy/phone-formats.ts),
 * per format family. Dev-only: `node scripts/phone-format-recall.ts [--misses FAMILY] [--all-types]`.
 */
import { detect } from '../src/privacy/index.ts';
import { phoneFormatRecall, phoneFormatSample, type FamilyRecall } from '../src/eval/privacy/phone-formats.ts';

const sample = phoneFormatSample();
// `--all-types`: every detector runs, so a number another type takes in overlap resolution counts as missed.
const allTypes = process.argv.includes('--all-types');
const findPhones = (text: string): Array<{ start: number; end: number }> => detect(text, allTypes ? undefined : ['phone']).filter((f) => f.type === 'phone');
const rows = phoneFormatRecall(sample, findPhones);
const share = (a: number, b: number): string => (b === 0 ? '–' : (a / b).toFixed(3));
const sum = (key: keyof Omit<FamilyRecall, 'family'>): number => rows.reduce((n, r) => n + r[key], 0);

console.log(`| family | numbers | recall | exact | recall, no cue | stray findings |\n|---|---|---|---|---|---|`);
for (const r of rows) console.log(`| ${r.family} | ${r.total} | ${share(r.found, r.total)} | ${share(r.exact, r.total)} | ${share(r.foundNoCue, r.totalNoCue)} | ${r.stray} |`);
console.log(`| **all** | ${sum('total')} | ${share(sum('found'), sum('total'))} | ${share(sum('exact'), sum('total'))} | ${share(sum('foundNoCue'), sum('totalNoCue'))} | ${sum('stray')} |`);

const misses = process.argv.indexOf('--misses');
if (misses !== -1) {
  const family = process.argv[misses + 1];
  for (const s of sample) {
    if (family && s.family !== family) continue;
    const found = findPhones(s.text);
    if (!found.some((f) => f.start === s.start && f.end === s.end)) console.log(`${s.family}\t${s.country}\t${JSON.stringify(s.text)}\t${JSON.stringify(found.map((f) => s.text.slice(f.start, f.end)))}`);
  }
}
