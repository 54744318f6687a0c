/**
 * Recall of the phone detector on a third synthetic sample: phone numbers from Python Faker, the
 * generator Presidio's data was made with, produced at run time by scripts/pyfaker-phones.py from an
 * installation outside the project (Debian: `apt-get install python3-fake-factory`) and never copied
 * into it. Every locale with a phone provider of its own gives `--per-locale` numbers from
 * `phone_number()` (seeded), each set in one of the sentences of phone-formats.ts, half with a cue word.
 * Numbers of fewer than seven digits (service numbers such as `1217`) are below the detector's floor and
 * are counted apart. Dev-only:
 *
 *   node scripts/phone-pyfaker-recall.ts [--per-locale 200] [--seed 2026] [--python python3] [--misses] [--shapes] [--all-types]
 *
 * `--all-types` runs every detector, so a number another type takes in overlap resolution (an address,
 * a card) counts as missed.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detect } from '../src/privacy/index.ts';
import { CONTEXTS, countPlacedNumber, emptyRecall, type RecallCounts } from '../src/eval/privacy/phone-formats.ts';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(name);
  return i === -1 ? fallback : process.argv[i + 1]!;
};
const perLocale = Number(arg('--per-locale', '200'));
const seed = Number(arg('--seed', '2026'));
const allTypes = process.argv.includes('--all-types');
const generator = join(dirname(fileURLToPath(import.meta.url)), 'pyfaker-phones.py');

/** Runs the generator with the first interpreter that has faker (a pyenv python3 may not see Debian's packages). */
function generate(): string {
  const pythons = process.argv.includes('--python') ? [arg('--python', 'python3')] : ['python3', '/usr/bin/python3'];
  for (const python of pythons) {
    const run = spawnSync(python, [generator, String(perLocale), String(seed)], { encoding: 'utf8', maxBuffer: 1 << 28 });
    if (run.status === 0) return run.stdout;
    if (run.status !== 3 && !run.error) throw new Error(`${python} ${generator} failed: ${run.stderr}`);
  }
  console.error(`Python Faker not found (tried ${pythons.join(', ')}). Install it outside the project: apt-get install python3-fake-factory`);
  process.exit(2);
}

/** A number's shape with its digit groups reduced to their lengths: `(303)883-6859x12` → `(3)3-4x2`. */
function shapeOf(value: string): string {
  return value.replace(/\d+/g, (g) => String(g.length));
}

interface Row extends RecallCounts {
  key: string;
  example: string;
  locales: Set<string>;
}
const byLocale = new Map<string, Row>();
const byShape = new Map<string, Row>();
const misses: string[] = [];
const row = (map: Map<string, Row>, key: string, example: string): Row => {
  let r = map.get(key);
  if (!r) map.set(key, (r = { key, example, locales: new Set(), ...emptyRecall() }));
  return r;
};

const [header, ...lines] = generate().trim().split('\n');
const { faker: version } = JSON.parse(header!) as { faker: string };
const short = new Map<string, number>();
let n = 0;
for (const line of lines) {
  const { locale, value } = JSON.parse(line) as { locale: string; value: string };
  if ((value.match(/\d/g) ?? []).length < 7) {
    short.set(locale, (short.get(locale) ?? 0) + 1);
    continue;
  }
  const context = CONTEXTS[n++ % CONTEXTS.length]!;
  const [before, after] = context.text.split('{}') as [string, string];
  const text = before + value + after;
  const start = before.length;
  const end = start + value.length;
  const findings = detect(text, allTypes ? undefined : ['phone']).filter((f) => f.type === 'phone');
  let hit = false;
  for (const r of [row(byLocale, locale, value), row(byShape, shapeOf(value), value)]) {
    r.locales.add(locale);
    hit = countPlacedNumber(r, { start, end, cue: context.cue }, findings);
  }
  const found = findings.map((f) => text.slice(f.start, f.end));
  if (!hit || !findings.some((f) => f.start === start && f.end === end)) misses.push(`${hit ? 'inexact' : 'miss'}\t${locale}\t${JSON.stringify(text)}\t${JSON.stringify(found)}`);
}

const share = (a: number, b: number): string => (b === 0 ? '–' : (a / b).toFixed(3));
const print = (title: string, rows: Row[], showAll: boolean): void => {
  console.log(`\n| ${title} | locales | numbers | recall | exact | recall, no cue | stray | example |\n|---|---|---|---|---|---|---|---|`);
  for (const r of rows) {
    if (!showAll && r.found === r.total && r.stray === 0) continue;
    console.log(`| \`${r.key}\` | ${r.locales.size} | ${r.total} | ${share(r.found, r.total)} | ${share(r.exact, r.total)} | ${share(r.foundNoCue, r.totalNoCue)} | ${r.stray} | \`${r.example}\` |`);
  }
};
const all = [...byLocale.values()];
const sum = (key: keyof RecallCounts): number => all.reduce((s, r) => s + r[key], 0);
console.log(`Python Faker ${version}, ${perLocale} numbers per locale, seed ${seed}`);
print('locale', all, true);
print('shape (imperfect only)', [...byShape.values()].sort((a, b) => a.found / a.total - b.found / b.total || b.total - a.total), process.argv.includes('--shapes'));
const skipped = [...short.values()].reduce((s, c) => s + c, 0);
console.log(`\nall: ${all.length} locales, ${byShape.size} shapes, ${sum('total')} numbers; recall ${share(sum('found'), sum('total'))}, exact ${share(sum('exact'), sum('total'))}, no cue ${share(sum('foundNoCue'), sum('totalNoCue'))}, stray ${sum('stray')}`);
if (skipped) console.log(`under seven digits, not counted: ${skipped} (${[...short].map(([l, c]) => `${l} ${c}`).join(', ')})`);
if (process.argv.includes('--misses')) for (const m of misses) console.log(m);
