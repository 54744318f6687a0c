/**
 * What the phone sample scripts share (phone-faker-recall.ts, phone-pyfaker-recall.ts, phone-context-recall.ts): each number is
 * set in the next sentence of phone-formats.ts, the detector runs, and recall is tallied per locale and
 * per written shape with the samples' own scoring (`countPlacedNumber`).
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detect, type Finding } from '../src/privacy/index.ts';
import { CONTEXTS, countPlacedNumber, emptyRecall, type RecallCounts } from '../src/eval/privacy/phone-formats.ts';

/** The value after `name` on the command line, or `fallback`. */
export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i === -1 ? fallback : process.argv[i + 1]!;
}

/**
 * Phone numbers from Python Faker, made at run time by pyfaker-phones.py with the first interpreter
 * that has it (a pyenv python3 may not see Debian's packages); exits naming the package when none does.
 */
export function pythonFakerPhones(perLocale: number, seed: number): { version: string; numbers: Array<{ locale: string; value: string }> } {
  const generator = join(dirname(fileURLToPath(import.meta.url)), 'pyfaker-phones.py');
  const pythons = process.argv.includes('--python') ? [arg('--python', 'python3')] : ['python3', '/usr/bin/python3'];
  for (const python of pythons) {
    const run = spawnSync(python, [generator, String(perLocale), String(seed)], { encoding: 'utf8', maxBuffer: 1 << 28 });
    if (run.status === 0) {
      const [header, ...lines] = run.stdout.trim().split('\n');
      return { version: (JSON.parse(header!) as { faker: string }).faker, numbers: lines.map((line) => JSON.parse(line) as { locale: string; value: string }) };
    }
    if (run.status !== 3 && !run.error) throw new Error(`${python} ${generator} failed: ${run.stderr}`);
  }
  console.error(`Python Faker not found (tried ${pythons.join(', ')}). Install it outside the project: apt-get install python3-fake-factory`);
  process.exit(2);
}

interface Row extends RecallCounts {
  key: string;
  example: string;
  locales: Set<string>;
}

export interface Placed {
  text: string;
  start: number;
  end: number;
  findings: Finding[];
  /** A phone finding overlaps the number. */
  hit: boolean;
}

const share = (a: number, b: number): string => (b === 0 ? '–' : (a / b).toFixed(3));

export class SampleRecall {
  private readonly byLocale = new Map<string, Row>();
  private readonly byShape = new Map<string, Row>();
  private placed = 0;
  private readonly allTypes: boolean;

  /** `allTypes`: every detector runs, so a number another type takes in overlap resolution counts as missed. */
  constructor(allTypes: boolean) {
    this.allTypes = allTypes;
  }

  place(locale: string, shape: string, value: string): Placed {
    const context = CONTEXTS[this.placed++ % CONTEXTS.length]!;
    const [before, after] = context.text.split('{}') as [string, string];
    const text = before + value + after;
    const start = before.length;
    const end = start + value.length;
    const findings = detect(text, this.allTypes ? undefined : ['phone']).filter((f) => f.type === 'phone');
    let hit = false;
    for (const r of [this.row(this.byLocale, locale, value), this.row(this.byShape, shape, value)]) {
      r.locales.add(locale);
      hit = countPlacedNumber(r, { start, end, cue: context.cue }, findings);
    }
    return { text, start, end, findings, hit };
  }

  /** The per-locale table, the shapes not found in full (all of them with `allShapes`), and the totals. */
  print(allShapes: boolean): void {
    const all = [...this.byLocale.values()];
    const sum = (key: keyof RecallCounts): number => all.reduce((s, r) => s + r[key], 0);
    table('locale', all, true);
    table('shape (imperfect only)', [...this.byShape.values()].sort((a, b) => a.found / a.total - b.found / b.total || b.total - a.total), allShapes);
    console.log(`\nall: ${all.length} locales, ${this.byShape.size} shapes, ${sum('total')} numbers; recall ${share(sum('found'), sum('total'))}, exact ${share(sum('exact'), sum('total'))}, no cue ${share(sum('foundNoCue'), sum('totalNoCue'))}, stray ${sum('stray')}`);
  }

  private row(map: Map<string, Row>, key: string, example: string): Row {
    let r = map.get(key);
    if (!r) map.set(key, (r = { key, example, locales: new Set(), ...emptyRecall() }));
    return r;
  }
}

function table(title: string, rows: Row[], showAll: boolean): void {
  console.log(`\n| ${title} | locales | numbers | recall | exact | recall, no cue | stray | example |\n|---|---|---|---|---|---|---|---|`);
  for (const r of rows) {
    if (!showAll && r.found === r.total && r.stray === 0) continue;
    console.log(`| \`${r.key}\` | ${r.locales.size} | ${r.total} | ${share(r.found, r.total)} | ${share(r.exact, r.total)} | ${share(r.foundNoCue, r.totalNoCue)} | ${r.stray} | \`${r.example}\` |`);
  }
}
