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
import { random } from '../src/eval/privacy/phone-formats.ts';
import { arg, SampleRecall } from './phone-sample-recall.ts';

interface LocaleDefinition {
  phone_number?: { format?: Record<string, string[]> };
}

const fakerDir = resolve(arg('--faker', '/tmp/fk/node_modules/@faker-js/faker'));
const perFormat = Number(arg('--per-format', '16'));
const faker = (await import(pathToFileURL(`${fakerDir}/dist/index.js`).href)) as { allLocales: Record<string, LocaleDefinition> };

/** A format's shape with its digits and symbols reduced to group lengths: `(0##) ###-####` → `(3) 3-4`. */
function shapeOf(format: string): string {
  return format.replace(/[#!\d]+/g, (g) => String(g.length));
}

function fill(format: string, next: () => number): string {
  return format.replace(/[#!]/g, (c) => String(c === '!' ? 2 + Math.floor(next() * 8) : Math.floor(next() * 10)));
}

const recall = new SampleRecall(process.argv.includes('--all-types'));
const misses: string[] = [];

const next = random(2026);
for (const [locale, definition] of Object.entries(faker.allLocales).sort(([a], [b]) => a.localeCompare(b))) {
  const styles = definition.phone_number?.format;
  if (!styles) continue;
  const formats = new Set(Object.values(styles).flat());
  for (const format of formats) {
    for (let i = 0; i < perFormat; i++) {
      const value = fill(format, next);
      const { text, hit } = recall.place(locale, shapeOf(format), value);
      if (!hit) misses.push(`${locale}\t${format}\t${JSON.stringify(text)}`);
    }
  }
}

recall.print(process.argv.includes('--shapes'));
if (process.argv.includes('--misses')) for (const m of misses) console.log(m);
