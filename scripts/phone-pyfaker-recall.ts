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
import { arg, pythonFakerPhones, SampleRecall } from './phone-sample-recall.ts';

const perLocale = Number(arg('--per-locale', '200'));
const seed = Number(arg('--seed', '2026'));

/** A number's shape with its digit groups reduced to their lengths: `(303)883-6859x12` → `(3)3-4x2`. */
function shapeOf(value: string): string {
  return value.replace(/\d+/g, (g) => String(g.length));
}

const recall = new SampleRecall(process.argv.includes('--all-types'));
const misses: string[] = [];

const { version, numbers } = pythonFakerPhones(perLocale, seed);
const short = new Map<string, number>();
for (const { locale, value } of numbers) {
  if ((value.match(/\d/g) ?? []).length < 7) {
    short.set(locale, (short.get(locale) ?? 0) + 1);
    continue;
  }
  const { text, start, end, findings, hit } = recall.place(locale, shapeOf(value), value);
  const found = findings.map((f) => text.slice(f.start, f.end));
  if (!hit || !findings.some((f) => f.start === start && f.end === end)) misses.push(`${hit ? 'inexact' : 'miss'}\t${locale}\t${JSON.stringify(text)}\t${JSON.stringify(found)}`);
}

console.log(`Python Faker ${version}, ${perLocale} numbers per locale, seed ${seed}`);
recall.print(process.argv.includes('--shapes'));
const skipped = [...short.values()].reduce((s, c) => s + c, 0);
if (skipped) console.log(`under seven digits, not counted: ${skipped} (${[...short].map(([l, c]) => `${l} ${c}`).join(', ')})`);
if (process.argv.includes('--misses')) for (const m of misses) console.log(m);
