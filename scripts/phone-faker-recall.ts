/**
 * Recall of the phone detector on a second synthetic sample, independent of both the Presidio templates
 * and libphonenumber-js: the per-locale phone formats of `@faker-js/faker` (a relative of the Python
 * Faker that generated Presidio's data), read at run time from an installation outside the project and
 * never copied into it. Every format string of every style of every locale is filled in with seeded
 * digits (`#` any digit, `!` 2–9, as faker does) and set in the sentences of phone-formats.ts, half with
 * a cue word. Dev-only:
 *
 *   mkdir -p /tmp/fk && (cd /tmp/fk && npm i @faker-js/faker)
 *   node scripts/phone-faker-recall.ts [--faker /tmp/fk/node_modules/@faker-js/faker] [--per-format 16] [--misses] [--shapes] [--all-types]
 *
 * `--all-types` runs every detector, so a number another type takes in overlap resolution (an address,
 * a card) counts as missed.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { detect } from '../src/privacy/index.ts';
import { CONTEXTS, countPlacedNumber, emptyRecall, random, type RecallCounts } from '../src/eval/privacy/phone-formats.ts';

interface LocaleDefinition {
  phone_number?: { format?: Record<string, string[]> };
}

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(name);
  return i === -1 ? fallback : process.argv[i + 1]!;
};
const fakerDir = resolve(arg('--faker', '/tmp/fk/node_modules/@faker-js/faker'));
const perFormat = Number(arg('--per-format', '16'));
const allTypes = process.argv.includes('--all-types');
const faker = (await import(pathToFileURL(`${fakerDir}/dist/index.js`).href)) as { allLocales: Record<string, LocaleDefinition> };

/** A format's shape with its digits and symbols reduced to group lengths: `(0##) ###-####` → `(3) 3-4`. */
function shapeOf(format: string): string {
  return format.replace(/[#!\d]+/g, (g) => String(g.length));
}

function fill(format: string, next: () => number): string {
  return format.replace(/[#!]/g, (c) => String(c === '!' ? 2 + Math.floor(next() * 8) : Math.floor(next() * 10)));
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

const next = random(2026);
let n = 0;
for (const [locale, definition] of Object.entries(faker.allLocales).sort(([a], [b]) => a.localeCompare(b))) {
  const styles = definition.phone_number?.format;
  if (!styles) continue;
  const formats = new Set(Object.values(styles).flat());
  for (const format of formats) {
    for (let i = 0; i < perFormat; i++, n++) {
      const value = fill(format, next);
      const context = CONTEXTS[n % CONTEXTS.length]!;
      const [before, after] = context.text.split('{}') as [string, string];
      const text = before + value + after;
      const start = before.length;
      const end = start + value.length;
      const findings = detect(text, allTypes ? undefined : ['phone']).filter((f) => f.type === 'phone');
      let hit = false;
      for (const r of [row(byLocale, locale, value), row(byShape, shapeOf(format), value)]) {
        r.locales.add(locale);
        hit = countPlacedNumber(r, { start, end, cue: context.cue }, findings);
      }
      if (!hit) misses.push(`${locale}\t${format}\t${JSON.stringify(text)}`);
    }
  }
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
print('locale', all, true);
print('shape (imperfect only)', [...byShape.values()].sort((a, b) => a.found / a.total - b.found / b.total || b.total - a.total), process.argv.includes('--shapes'));
console.log(`\nall: ${all.length} locales, ${byShape.size} shapes, ${sum('total')} numbers; recall ${share(sum('found'), sum('total'))}, exact ${share(sum('exact'), sum('total'))}, no cue ${share(sum('foundNoCue'), sum('totalNoCue'))}, stray ${sum('stray')}`);
if (process.argv.includes('--misses')) for (const m of misses) console.log(m);
