import type { Finding } from '../entities.ts';
import { GIVEN_NAMES, SURNAME_SET } from './name-lists.ts';

/**
 * Person names by cues and word lists: a run of up to three capitalised words counts as a name when
 * its first word is a known given name, a later word a known surname, or a cue comes just before
 * (a title, "my name is", "Dear", "Name:"…). Weak by nature; docs/privacy.md gives measured figures.
 */
const RUN = /\p{Lu}[\p{L}'’-]*\p{Ll}(?: (?:\p{Lu}\.?(?![\p{L}])|(?:van|von|de|da|del|der|di|le|bin|al) \p{Lu}[\p{L}'’-]*\p{Ll}|\p{Lu}[\p{L}'’-]*\p{Ll})){0,2}/gu;
const CUE = /(?:\b(?:mr|mrs|ms|miss|dr|prof|sir|madam|mx)\.?|\bmy name is|\bname(?:d|\s*:| is)|\b(?:said|asked|told|replied|wrote|thanked|met|married)|\bcalled|\bdear|\bhi|\bhello|\bregards,|\bsincerely,|\bthanks,|\bcc:|\bfrom:|\bask|\bcontact|\bsigned|\bauthor:?|\bpatient:?|\bcustomer:?)[ \t]*$/i;
/** Capitalised words that start sentences or name things, never people. */
const NOT_NAMES = new Set(
  `the a an i in on at of for to and or but if is it this that these those my your our their his her we you they he she
  please thanks thank hello hi dear yes no not can could would should will what when where which who why how monday
  tuesday wednesday thursday friday saturday sunday january february march april june july august september october
  november december street st avenue road lane drive court north south east west new san santa saint mount university
  company inc ltd llc corp bank hospital school team group project service services support customer user admin i'm i'd
  i'll i've it's that's there's here's what's let's don't can't won't maybe also then so just after before mr mrs ms dr prof sir miss madam mx
  each every all some many most one two three another other plan part chapter section table figure option case`
    .split(/\s+/)
    .filter(Boolean),
);

function key(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/['’]s$/, '');
}

/** Words that label a line in transcripts and forms, not a speaker. */
const LABELS = new Set(
  `user assistant system human ai bot agent customer client q a question answer note example input output date time
  name phone email address subject title summary description warning error step task context instructions rules goal
  response reply prompt text source topic category result status comment notes tip hint solution explanation scenario
  objective background requirements constraints format persona tone audience style mobile
  desk fax tel website company location position role department office country city state`
    .split(/\s+/)
    .filter(Boolean),
);
/** A speaker in a transcript: `Kelly: Remember me?` at the start of a line. */
const SPEAKER = /^[ \t]*(\p{Lu}[\p{Ll}'’-]+\p{Ll})(?=:[ \t]+\p{L})/gmu;
/** A line that is only a name, as in a letter's signature or a résumé's header: `Anna Novak`. */
const NAME_LINE = /^[ \t]*(\p{Lu}[\p{Ll}'’-]+\p{Ll}(?: \p{Lu}\.?)?(?: \p{Lu}[\p{Ll}'’-]+\p{Ll}){1,2})[ \t]*$/gmu;

function detectLineNames(text: string, out: Finding[]): void {
  if (!text.includes(':') && !text.includes('\n')) return;
  // A transcript has turns: speakers count only when at least two lines are labelled so.
  const speakers = [...text.matchAll(SPEAKER)].filter((m) => !LABELS.has(key(m[1]!)) && !NOT_NAMES.has(key(m[1]!)));
  if (speakers.length >= 2) {
    for (const m of speakers) {
      const start = m.index + m[0].length - m[1]!.length;
      out.push({ type: 'person', start, end: start + m[1]!.length });
    }
  }
  if (!text.includes('\n')) return;
  NAME_LINE.lastIndex = 0;
  for (let m = NAME_LINE.exec(text); m !== null; m = NAME_LINE.exec(text)) {
    const words = m[1]!.split(/[ \t]+/);
    if (words.some((w) => NOT_NAMES.has(key(w)) || LABELS.has(key(w)))) continue;
    const start = m.index + m[0].indexOf(m[1]!);
    out.push({ type: 'person', start, end: start + m[1]!.length });
  }
}

export function detectNames(text: string, out: Finding[]): void {
  detectLineNames(text, out);
  RUN.lastIndex = 0;
  for (let m = RUN.exec(text); m !== null; m = RUN.exec(text)) {
    // Not inside a word, an address or a dotted name (checked here: a lookbehind would run everywhere).
    if (m.index > 0 && /[\p{L}\p{N}_@.]/u.test(text[m.index - 1]!)) {
      RUN.lastIndex = m.index + 1;
      continue;
    }
    const words = m[0].split(/[ \t]+/);
    const first = key(words[0]!);
    if (NOT_NAMES.has(first)) {
      // "The Anna Karenina…": retry from the next word.
      RUN.lastIndex = m.index + words[0]!.length;
      continue;
    }
    // "Found Maria Kowalski": a sentence word before a given name is not part of the name.
    const later = words.findIndex((w, i) => i > 0 && GIVEN_NAMES.has(key(w)));
    if (!GIVEN_NAMES.has(first) && later > 0) {
      RUN.lastIndex = m.index + m[0].indexOf(words[later]!, words[0]!.length);
      continue;
    }
    let count = words.length;
    while (count > 1 && NOT_NAMES.has(key(words[count - 1]!))) count--;
    const kept = words.slice(0, count);
    // "Anna K. Novak": a middle initial between two capitalised words is a strong sign of a name.
    const initialled = kept.length === 3 && /^\p{Lu}\.?$/u.test(kept[1]!);
    const known = initialled || GIVEN_NAMES.has(first) || kept.slice(1).some((w) => SURNAME_SET.has(key(w)));
    const cued = !known && CUE.test(text.slice(Math.max(0, m.index - 24), m.index));
    if (!known && !cued) {
      // "Maybe Anna Novak": the run may start one word too early; try again from its second word.
      if (words.length > 1) RUN.lastIndex = m.index + words[0]!.length;
      continue;
    }
    const tokens = [...m[0].matchAll(/\S+/g)];
    const last = tokens[count - 1]!;
    out.push({ type: 'person', start: m.index, end: m.index + last.index + last[0].length });
  }
}
