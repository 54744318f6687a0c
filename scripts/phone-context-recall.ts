/**
 * Recall of the phone detector by context: how the text around a number touches it. The numbers are the
 * plain written forms of the libphonenumber-js sample (src/eval/privacy/phone-formats.ts: E.164,
 * international, national, hyphenated, area code in parentheses, unseparated…), and with `--pyfaker`
 * also Python Faker's numbers (scripts/pyfaker-phones.py, an installation outside the project). Only the
 * numbers the detector finds in a neutral sentence ("I left the details with {} yesterday.") are kept, so
 * a loss below is the context's doing, not the format's. Each is then set in every context below: a
 * label or a character just before it, a character or a word just after it, a table cell, JSON, CSV,
 * key=value, a list of two numbers. Written from how text touches a number, not from any labelled data.
 * Scored with countPlacedNumber (overlap; `exact` is the same boundaries). Dev-only:
 *
 *   node scripts/phone-context-recall.ts [--pyfaker] [--per-locale 20] [--misses CONTEXT] [--all-types]
 *
 * `--all-types` runs every detector, so a number another type takes in overlap resolution counts as missed.
 */
import { detect } from '../src/privacy/index.ts';
import { countPlacedNumber, emptyRecall, phoneFormatSample, type PhoneFamily, type RecallCounts } from '../src/eval/privacy/phone-formats.ts';
import { arg, pythonFakerPhones } from './phone-sample-recall.ts';

const allTypes = process.argv.includes('--all-types');
const findPhones = (text: string): Array<{ start: number; end: number }> => detect(text, allTypes ? undefined : ['phone']).filter((f) => f.type === 'phone');

/** `{}` is the number; `{2}`, where present, a second number of the sample (a list of two). `cue`: a cue word before it. */
interface Context {
  name: string;
  text: string;
  cue: boolean;
  /** Written right after the number and part of its span (an extension). */
  tail?: string;
}
const C = (name: string, text: string, cue = false, tail = ''): Context => ({ name, text, cue, tail });
export const CONTEXTS: readonly Context[] = [
  C('neutral (selection)', 'I left the details with {} yesterday.'),
  // Before the number.
  C('start of text', '{} is the number.'),
  C('whole text', '{}'),
  C('after newline', 'Details below\n{}\nthanks'),
  C('after tab', 'Ana Holt\t{}\tLeeds'),
  C('tel:', 'Write to tel:{} today.', true),
  C('Tel.', 'Tel.{} (office)', true),
  C('Tel. + space', 'Tel. {} (office)', true),
  C('Ph:', 'Ph:{}', true),
  C('phone#', 'phone#{}', true),
  C('#', 'Ana #{} Leeds'),
  C('( )', 'Ana Holt ({}) called.'),
  C('[ ]', 'Ana Holt [{}] called.'),
  C('" "', 'He wrote "{}" on the card.'),
  C("' '", "He wrote '{}' on the card."),
  C('< >', 'Ana Holt <{}>'),
  C('=', 'phone={}', true),
  C('label: ', 'Phone: {}', true),
  C('label: no space', 'Phone:{}', true),
  C('Mobile: ', 'Mobile: {} ', true),
  C('Fax: ', 'Fax: {}', true),
  C('TEL: upper', 'TEL: {}', true),
  C('Phone No.', 'Phone No. {}', true),
  C('/', 'Ana Holt/{}'),
  C('Tel/Fax', 'Tel/Fax: {}', true),
  C('word, no cue', 'Reach Ana at {} after six.'),
  C('Teléfono:', 'Teléfono: {}'),
  C('Telefon', 'Telefon {}'),
  C('電話', '電話{}'),
  C('電話：', '電話：{}'),
  C('after ZIP', 'Leeds, WA 98101 {}'),
  C('after ZIP,', 'Leeds, WA 98101, {}'),
  C('after name,', 'Ana Holt, {}'),
  // Structured text.
  C('markdown cell', '| Ana Holt | {} | Leeds |'),
  C('markdown cell, no pad', '|Ana Holt|{}|Leeds|'),
  C('JSON', '{"name": "Ana Holt", "phone": "{}"}', true),
  C('JSON, no space', '{"phone":"{}","zip":"98101"}', true),
  C('CSV', 'Ana,Holt,{},Leeds'),
  C('CSV, numeric next', 'Ana,Holt,{},98101'),
  C('CSV, numeric before', '42,Ana Holt,{}'),
  C('key=value', 'name=Ana phone={} city=Leeds', true),
  C('key=value &', 'name=Ana&phone={}&city=Leeds', true),
  C('list, first', 'Call {} or {2} today.', true),
  C('list, second', 'Call {2} or {} today.', true),
  C('list, comma', 'Numbers: {2}, {}.', true),
  C('list, slash', '{2} / {}'),
  C('list, slash no space', '{2}/{}'),
  // After the number.
  C('then .', 'Her number is {}.'),
  C('then ,', 'Her number is {}, not mine.'),
  C('then ;', 'Her number is {}; mine differs.'),
  C('then )', 'Ana (her number is {}) left.'),
  C('then ]', 'Ana [her number is {}] left.'),
  C('then "', 'She said "my number is {}"'),
  C('then !', 'Her number is {}!'),
  C('then ?', 'Is her number {}?'),
  C('then …', 'Her number is {}…'),
  C('then ...', 'Her number is {}...'),
  C('then newline', 'Her number is {}\nAna'),
  C('then ext. 12', 'Her number is {} today.', false, ' ext. 12'),
  C('then x123', 'Her number is {}', false, ' x123'),
  C('then (mobile)', 'Her number is {} (mobile)'),
  C('then (work)', 'Her number is {} (work).'),
  C('then :', 'Her number {}: call after six.'),
  C('then -', 'Her number {} - call after six.'),
  C('end of text', 'Her number is {}'),
  C('then a word', 'Her number is {} thanks'),
];

/** The plain written families of the libphonenumber-js sample: the ones whose text is the number alone. */
const FAMILIES: ReadonlySet<PhoneFamily> = new Set([
  'e164',
  'international',
  'international-hyphen',
  'international-dot',
  'international-idd',
  'international-parens',
  'international-area-parens',
  'international-one-group',
  'national',
  'national-hyphen',
  'national-no-trunk',
  'national-area-parens',
  'national-slash',
  'national-digits',
]);

/** Python Faker's numbers of seven digits or more (--per-locale, default 20). */
function pyfakerNumbers(): string[] {
  return pythonFakerPhones(Number(arg('--per-locale', '20')), 2026)
    .numbers.map((n) => n.value)
    .filter((v) => (v.match(/\d/g) ?? []).length >= 7);
}

const found = (text: string, start: number, end: number): boolean => findPhones(text).some((f) => f.start === start && f.end === end);
const [neutralBefore, neutralAfter] = CONTEXTS[0]!.text.split('{}') as [string, string];
const candidates = [...new Set([...phoneFormatSample().filter((s) => FAMILIES.has(s.family)).map((s) => s.text.slice(s.start, s.end)), ...(process.argv.includes('--pyfaker') ? pyfakerNumbers() : [])])];
const numbers = candidates.filter((v) => found(neutralBefore + v + neutralAfter, neutralBefore.length, neutralBefore.length + v.length));

/** Sets `value` (and, for a list, `other`) in `template`; returns the text and the span of `value`. */
function place(template: string, value: string, other: string): { text: string; start: number; end: number; otherStart: number } {
  const [before, after] = template.split('{}') as [string, string];
  const shift = before.includes('{2}') ? other.length - 3 : 0;
  const text = (before + value + after).replace('{2}', other);
  const otherStart = text.indexOf(other, before.includes('{2}') ? 0 : before.length + shift + value.length);
  return { text, start: before.length + shift, end: before.length + shift + value.length, otherStart: template.includes('{2}') ? otherStart : -1 };
}

interface Row extends RecallCounts {
  context: Context;
  misses: string[];
}
const rows: Row[] = CONTEXTS.map((context) => ({ context, misses: [], ...emptyRecall() }));
numbers.forEach((number, i) => {
  const other = numbers[(i + 1) % numbers.length]!;
  for (const row of rows) {
    const value = number + (row.context.tail ?? '');
    const { text, start, end, otherStart } = place(row.context.text, value, other);
    // In a list, the other number's finding is neither this number nor a stray one.
    const findings = findPhones(text).filter((f) => otherStart === -1 || !(f.start < otherStart + other.length && f.end > otherStart));
    const hit = countPlacedNumber(row, { start, end, cue: row.context.cue }, findings);
    if (!hit || !findings.some((f) => f.start === start && f.end === end)) row.misses.push(`${hit ? 'inexact' : 'miss'}\t${JSON.stringify(text)}\t${JSON.stringify(findings.map((f) => text.slice(f.start, f.end)))}`);
  }
});

const share = (a: number, b: number): string => (b === 0 ? '–' : (a / b).toFixed(3));
console.log(`${numbers.length} numbers found in the neutral sentence (of ${candidates.length}), ${CONTEXTS.length} contexts\n`);
console.log('| context | example | recall | exact | stray |\n|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.context.name} | \`${JSON.stringify(place(r.context.text, `555-0134${r.context.tail ?? ''}`, '555-0178').text).slice(1, -1).replace(/\|/g, '\\|')}\` | ${share(r.found, r.total)} | ${share(r.exact, r.total)} | ${r.stray} |`);
const sum = (key: keyof RecallCounts): number => rows.reduce((n, r) => n + r[key], 0);
const worst = [...rows].sort((a, b) => a.found / a.total - b.found / b.total)[0]!;
console.log(`\nall: ${sum('total')} placements; recall ${share(sum('found'), sum('total'))}, exact ${share(sum('exact'), sum('total'))}, stray ${sum('stray')}; worst context: ${worst.context.name} ${share(worst.found, worst.total)}`);

const misses = process.argv.indexOf('--misses');
if (misses !== -1) {
  const name = process.argv[misses + 1];
  for (const r of rows) if (!name || r.context.name === name) for (const m of r.misses) console.log(`${r.context.name}\t${m}`);
}
