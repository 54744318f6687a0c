import { getCountries, getExampleNumber, parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';

/**
 * A dev-only sample of phone numbers as people write them, independent of the Presidio templates: for
 * every country libphonenumber-js knows, its example mobile number and a fixed-line number drawn at
 * random (seeded) and accepted by the full metadata, each written in the format families below and
 * set in one of a few sentences. It measures the phone detector's recall per family; it says nothing
 * about precision (the benign sets do that).
 */
export const PHONE_FAMILIES = [
  'e164',
  'international',
  'international-hyphen',
  'international-dot',
  'international-idd',
  'international-trunk',
  'international-parens',
  'international-area-parens',
  'international-one-group',
  'rfc3966',
  'national',
  'national-hyphen',
  'national-no-trunk',
  'national-area-parens',
  'national-slash',
  'national-digits',
  'extension',
  'glued',
  // Families added after measuring the detector on faker's per-locale formats (scripts/phone-faker-recall.ts).
  'international-off-plan',
  'national-double-zero',
  'national-short-last',
  'national-slash-no-trunk',
  'national-one-digit-group',
  'wrapped-area-parens',
] as const;
export type PhoneFamily = (typeof PHONE_FAMILIES)[number];

export interface PhoneSample {
  family: PhoneFamily;
  country: CountryCode;
  /** Whether the sentence has a cue word ("call", "phone", "mobile"…) just before the number. */
  cue: boolean;
  text: string;
  start: number;
  end: number;
}

/** Sentences around the number: `{}` is where it goes. Half have a cue word before it, half none. */
export const CONTEXTS: ReadonlyArray<{ cue: boolean; text: string }> = [
  { cue: false, text: 'I left the details with {} yesterday.' },
  { cue: true, text: 'Call me at {} tomorrow.' },
  { cue: false, text: 'Ask for Mira ({}) at the front.' },
  { cue: true, text: 'Phone: {}' },
  { cue: false, text: '{} is the one to try after six.' },
  { cue: true, text: 'My mobile is {}.' },
  { cue: false, text: 'Her details: Mira Holt, {}, Leeds.' },
  { cue: true, text: 'You can reach the office on {} or by mail.' },
];

const EXTENSIONS = [' x123', ' ext. 45', ' ext 7', ' #210', ', ext. 3301'];
/** Glued forms: the number's text is between the two parts. */
const GLUED: ReadonlyArray<[string, string]> = [
  ['phone:', ''],
  ['Tel.', ''],
  ['[', ']'],
  ['"', '"'],
  ['', ';'],
  ['(', ')'],
];

/** mulberry32: a small seeded generator, so the sample is the same on every run. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A fixed-line number of `country`, found by drawing national numbers of the example's length. */
function fixedLine(country: CountryCode, length: number, next: () => number): PhoneNumber | undefined {
  for (let i = 0; i < 400; i++) {
    let digits = String(1 + Math.floor(next() * 9));
    while (digits.length < length) digits += String(Math.floor(next() * 10));
    const number = parsePhoneNumberFromString(digits, country);
    if (number?.isValid() && number.getType() === 'FIXED_LINE') return number;
  }
  return undefined;
}

/** The trunk prefix a national format adds in front of the national number (`0`, `8`, `06`), or ''. */
function trunkOf(number: PhoneNumber): string {
  const national = number.formatNational().replace(/\D/g, '');
  return national.endsWith(number.nationalNumber) ? national.slice(0, national.length - number.nationalNumber.length) : '';
}

/** The national format without its trunk prefix and the separator after it (`07400 123456` → `7400 123456`). */
function withoutTrunk(national: string, trunk: string): string {
  let i = 0;
  let taken = 0;
  while (taken < trunk.length && i < national.length) {
    if (/\d/.test(national[i]!)) taken++;
    i++;
  }
  const rest = national.slice(i);
  // `0(11) …` or `0 11 …`: drop a space or hyphen left in front; a parenthesis opened before the trunk stays.
  const opened = national.slice(0, i).includes('(') ? '(' : '';
  return opened + rest.replace(/^[ -]+/, '');
}

function written(number: PhoneNumber, family: PhoneFamily, index: number): string | undefined {
  const international = number.formatInternational();
  const national = number.formatNational();
  const cc = `+${number.countryCallingCode}`;
  const trunk = trunkOf(number);
  const afterCc = international.slice(cc.length + 1);
  switch (family) {
    case 'e164':
      return number.number;
    case 'international':
      return international;
    case 'international-hyphen':
      return international.replace(/ /g, '-');
    case 'international-dot':
      return international.replace(/ /g, '.');
    case 'international-idd':
      return `00${number.countryCallingCode} ${afterCc}`;
    case 'international-trunk':
      return trunk === '0' ? `${cc} (0)${afterCc}` : undefined;
    case 'international-parens':
      return `(${cc}) ${afterCc}`;
    case 'international-area-parens': {
      const groups = afterCc.split(' ');
      return groups.length >= 3 ? `${cc} (${groups[0]}) ${groups.slice(1).join(' ')}` : undefined;
    }
    case 'international-one-group':
      return `${cc} ${number.nationalNumber}`;
    case 'rfc3966':
      return index % 2 === 0 ? number.getURI() : `tel:${international.replace(/ /g, '-')}`;
    case 'national':
      return national;
    case 'national-hyphen':
      return national.includes(' ') ? national.replace(/ /g, '-') : undefined;
    case 'national-no-trunk':
      return trunk ? withoutTrunk(national, trunk) : undefined;
    case 'national-area-parens': {
      const groups = national.split(' ');
      return groups.length >= 2 && !national.includes('(') ? `(${groups[0]}) ${groups.slice(1).join(' ')}` : undefined;
    }
    case 'national-slash': {
      const groups = national.split(' ');
      return trunk === '0' && groups.length >= 2 && /^\d+$/.test(groups[0]!) ? `${groups[0]}/${groups.slice(1).join('')}` : undefined;
    }
    case 'national-digits':
      return trunk + number.nationalNumber;
    case 'extension':
      return (index % 2 === 0 ? international : national) + EXTENSIONS[index % EXTENSIONS.length]!;
    case 'glued':
      return international;
    // A `+` number one digit longer than its plan allows, as generated or mistyped numbers are (`+32 4285859 1`).
    case 'international-off-plan':
      return number.number.length < 16 ? `${international}${index % 10}` : undefined;
    // A national format whose area code begins `00` once the trunk zero is written (`009 449 80 91`), as
    // generators that fill `0## ### ## ##` with random digits write one number in ten.
    case 'national-double-zero':
      return trunk === '0' && /^0[1-9][1-9]/.test(national) ? `00${national.slice(2)}` : undefined;
    // Trunk zero and all but the last four digits, then those four (`016977 1721`, `0805977 6878`).
    case 'national-short-last':
      return trunk === '0' && number.nationalNumber.length >= 9 ? `0${number.nationalNumber.slice(0, -4)} ${number.nationalNumber.slice(-4)}` : undefined;
    // A two- or three-digit area code without a trunk prefix, a slash, the rest (`959/370521`).
    case 'national-slash-no-trunk': {
      const nn = number.nationalNumber;
      const cut = nn.length >= 9 ? 3 : 2;
      return /^[1-9]/.test(nn) && nn.length - cut >= 6 ? `${nn.slice(0, cut)}/${nn.slice(cut)}` : undefined;
    }
    // Japanese-style hyphenation with a one-digit group: trunk zero and four digits, one, the rest (`03416-5-5724`).
    case 'national-one-digit-group': {
      const nn = number.nationalNumber;
      return trunk === '0' && nn.length >= 9 ? `0${nn.slice(0, 4)}-${nn[4]}-${nn.slice(5)}` : undefined;
    }
    // A one-digit trunk prefix, the area code in parentheses, the rest hyphenated (`8 (941) 407-73-56`);
    // the sentence puts it in parentheses of its own (phoneFormatSample).
    case 'wrapped-area-parens': {
      const groups = withoutTrunk(national, trunk).replace(/[()]/g, '').split(/[ -]/);
      return trunk.length === 1 && groups.length >= 3 ? `${trunk} (${groups[0]}) ${groups.slice(1).join('-')}` : undefined;
    }
  }
}

export function phoneFormatSample(): PhoneSample[] {
  const next = random(8);
  const numbers: Array<{ country: CountryCode; number: PhoneNumber }> = [];
  for (const country of getCountries()) {
    const mobile = getExampleNumber(country, examples);
    // Numbers of four to six digits (a dozen small territories) are below the detector's seven-digit floor.
    if (!mobile || mobile.nationalNumber.length < 7) continue;
    numbers.push({ country, number: mobile });
    const fixed = fixedLine(country, mobile.nationalNumber.length, next);
    if (fixed) numbers.push({ country, number: fixed });
  }
  const sample: PhoneSample[] = [];
  numbers.forEach(({ country, number }, n) => {
    PHONE_FAMILIES.forEach((family, f) => {
      const value = written(number, family, n);
      if (value === undefined) return;
      const context = CONTEXTS[(n + f) % CONTEXTS.length]!;
      let [before, after] = context.text.split('{}') as [string, string];
      if (family === 'glued') {
        const [open, close] = GLUED[n % GLUED.length]!;
        before = `${before.replace(/ $/, '')} ${open}`.replace(/^ /, '');
        after = close + after;
      }
      if (family === 'wrapped-area-parens') {
        before += '(';
        after = `)${after}`;
      }
      // The `tel:` of a URI is scheme, not number.
      const start = before.length + (value.startsWith('tel:') ? 4 : 0);
      sample.push({ family, country, cue: context.cue, text: before + value + after, start, end: before.length + value.length });
    });
  });
  return sample;
}

/** How a detector did on numbers placed in sentences. */
export interface RecallCounts {
  total: number;
  /** Numbers a phone finding overlaps, and those it covers exactly. */
  found: number;
  exact: number;
  /** The same, over the sentences with no cue word. */
  totalNoCue: number;
  foundNoCue: number;
  /** Phone findings in the sample's sentences that miss the number. */
  stray: number;
}

export const emptyRecall = (): RecallCounts => ({ total: 0, found: 0, exact: 0, totalNoCue: 0, foundNoCue: 0, stray: 0 });

/** Adds one placed number (`start`–`end` in its sentence) and the phone findings in that sentence; true when found. */
export function countPlacedNumber(counts: RecallCounts, placed: { start: number; end: number; cue: boolean }, findings: ReadonlyArray<{ start: number; end: number }>): boolean {
  const hit = findings.some((f) => f.start < placed.end && f.end > placed.start);
  counts.total++;
  if (hit) counts.found++;
  if (findings.some((f) => f.start === placed.start && f.end === placed.end)) counts.exact++;
  if (!placed.cue) {
    counts.totalNoCue++;
    if (hit) counts.foundNoCue++;
  }
  counts.stray += findings.filter((f) => f.end <= placed.start || f.start >= placed.end).length;
  return hit;
}

export interface FamilyRecall extends RecallCounts {
  family: PhoneFamily;
}

export function phoneFormatRecall(sample: readonly PhoneSample[], findPhones: (text: string) => Array<{ start: number; end: number }>): FamilyRecall[] {
  const rows = new Map<PhoneFamily, FamilyRecall>(PHONE_FAMILIES.map((family) => [family, { family, ...emptyRecall() }]));
  for (const s of sample) countPlacedNumber(rows.get(s.family)!, s, findPhones(s.text));
  return [...rows.values()];
}
