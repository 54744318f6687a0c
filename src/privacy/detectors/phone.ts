import { parsePhoneNumberFromString, validatePhoneNumberLength } from 'libphonenumber-js/max';
import type { Finding } from '../entities.ts';

/**
 * Phone-shaped runs: an optional `+`, `00` or `(+44)`, digit groups split by spaces, dots, hyphens,
 * slashes or parentheses, an optional extension. Not after a word character or a path's slash, but
 * after an abbreviation's dot (`Tel.+44…`); not before a word character, a slash, a decimal's dot or a
 * colon that another token touches (`12:30`, `:8080`), but before a colon that ends a clause (`…0134: call`).
 * Before a comma and a digit, see listNext. An international run counts when its length fits its
 * country code; a national one by its written shape alone (phoneShape, PLAIN), since the words around
 * a number vary too much to lean on; another plain digit run only after a cue word ("phone", "call"…).
 */
const CANDIDATE = /(?<![\w+/-])(?<!(?:^|[^A-Za-z])\.)(?:\(\+\d{1,4}\)[ -]?|\+ ?|00)?\(?\d+\)?(?:(?:[ ./-]{1,2}|(?<=\))|(?=\())\(?\d+\)?){0,6}(?:,?\s?(?:x|X|[eE]xt\.?|[eE]xtension|#)\s?\d{1,6}|;ext=\d{1,6})?(?![\w=/-]|:\S|\.\d)/g;
const EXTENSION = /(?:,?\s?(?:x|X|[eE]xt\.?|[eE]xtension|#)\s?\d{1,6}|;ext=\d{1,6})$/;
const CUE = /(?:phone|tel(?:ephone)?|call(?:ed)?|mobile|cell|fax|desk|sms|text(?:ed)? me|whats ?app|contact(?: me)?|reach(?: me)?|dial|ph\.|mob\.|hotline|(?:my|your|his|her|our|their) (?:new |old |home |work |cell |mobile )?number)\b[^\d]{0,24}$/i;
const DATE_LIKE = /^(?:\d{1,3}(?:\.\d{1,3}){3}|\d{3}-\d{2}-\d{4}|\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}:\d{2}(?::\d{2})?)$/;
const DAY_MONTH = /^(\d{1,2})[-./](\d{1,2})[-./]\d{2,4}$/;
const YEAR = /^(?:1[89]|20)\d\d$/;
const CLOCK = /^(?:[01]\d|2[0-3])[0-5]\d$/;
/**
 * Unseparated numbers taken without a cue: ten digits shaped as a North American number (area code and
 * exchange start with 2–9 and are not service codes like 411), eight to twelve after a trunk zero
 * (`016061610586`, `021017055`) that are not binary, or eleven shaped as a Chinese mobile number, a 1
 * and then 3–9 (`13784133017`); none that ends in four zeros, as round amounts do (`15000000000`).
 */
const PLAIN = /^(?:(?![2-9]11)[2-9]\d\d(?![2-9]11)[2-9]\d{6}|0[1-9]\d{6,10}|1[3-9]\d{9})(?<!0000)$/;
/** Unseparated, a `00` and a digit other than 0, ten to thirteen digits in all (`00932081967`, `0030225021`). */
const PLAIN_DOUBLE_ZERO = /^00[1-9]\d{7,10}(?<!0000)$/;

function digitCount(value: string): number {
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

/** `31.12.2024` or `12/31/24`: a day and a month in either order, then a year. */
function dateLike(value: string): boolean {
  if (DATE_LIKE.test(value)) return true;
  const m = DAY_MONTH.exec(value);
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return (a <= 31 && b <= 12) || (a <= 12 && b <= 31);
}

/**
 * International numbers need only be possible for their country code (the right length): the `+` and a
 * real code already make them phones, and much written-down numbering is not in any plan (`+1-903-140-…`).
 * A country code in parentheses (`(+44) …`) and a trunk zero in parentheses (`+41 (0)71 …`) are dropped first.
 */
function internationalNumber(core: string): boolean {
  const e164 = (core.startsWith('00') ? `+${core.slice(2)}` : core).replace(/^\((\+\d+)\)/, '$1').replace(/\(0\)/, '');
  return parsePhoneNumberFromString(e164)?.isPossible() ?? false;
}

/** What libphonenumber-js says of a wrong length: the country code is known, the number does not fit it. */
const OFF_PLAN = new Set(['TOO_SHORT', 'TOO_LONG', 'INVALID_LENGTH']);

/**
 * A run libphonenumber-js does not take as international may still be a phone: a `+` touching nine to
 * fifteen digits whose country code is real but whose length does not fit it (written-down and generated
 * numbers often fit no plan: `+32 4285859`, `+70 9328 7740324`; an unknown code such as `+999` is not
 * taken), or a `00` followed by a digit other than 0 that has a national number's shape, as if its area
 * code began with a trunk zero (`009 449 80 91`, `0044-63729635`), or is one run of ten to thirteen digits
 * (`00932081967`, as a trunk zero does for PLAIN); a run of zeros (`000 500 200`) does not.
 */
function writtenInternational(core: string): boolean {
  if (/^\(?\+\d/.test(core)) {
    if (digitCount(core) < 9) return false;
    const e164 = core.replace(/^\((\+\d+)\)/, '$1').replace(/\(0\)/, '');
    return OFF_PLAN.has(validatePhoneNumberLength(e164) ?? '');
  }
  return /^00[ -]?[1-9]/.test(core) && (phoneShape(core) || (PLAIN_DOUBLE_ZERO.test(core) && /[2-9]/.test(core)));
}

/**
 * Two groups joined by a hyphen are a range or a difference (`1495-1505`, `800-1000`, `0900-1700`,
 * `5000-2000`) when both are round, when the second is larger and close to the first or round, or when
 * both are clock times; phone groups are arbitrary.
 */
function rangeLike(first: string, second: string): boolean {
  if (CLOCK.test(first) && CLOCK.test(second)) return true;
  if (first.endsWith('0') && second.endsWith('0')) return true;
  return Number(second) > Number(first) && ((first.length === second.length && first[0] === second[0]) || second.endsWith('0') || first.endsWith('00'));
}

/**
 * Two groups without parentheses: spaced, the longer one last (`467 3395`, `99 668472`); hyphenated, a
 * trunk-zero area code and five or more digits (`0961-7596216`, `04782-93054`; a ZIP+4 code has four),
 * or a local `555-1212` / `9123-4567` that is not a range; after a slash, a trunk-zero area code and
 * five or more digits (`030/1234567`), or two or three digits without a trunk zero and six or more
 * (`959/370521`).
 */
function twoGroups(first: string, separator: string, second: string): boolean {
  // Spaced, a trunk-zero first group may be the longer one (`016977 1721`, `0805977 6878`).
  if (separator === ' ') return second.length >= 4 && (second.length >= first.length || first.startsWith('0'));
  if (/^0\d{1,4}$/.test(first)) return second.length >= 5;
  if (separator === '/') return /^[1-9]\d{1,2}$/.test(first) && second.length >= 6;
  if (separator !== '-') return false;
  if (first.length === 3 && second.length === 7) return !(first.endsWith('0') && second.endsWith('00'));
  return /^\d{3,4}$/.test(first) && second.length === 4 && !rangeLike(first, second);
}

/**
 * The digits before and after a slash: a trunk-zero area code and five or more digits (`030/1234567`), or
 * an area code of two or three digits without one and six or more (`959/370521`, `864/16 07 50`), which
 * a fraction or a ratio (`4750/950`, `1759/17605`) does not reach.
 */
function slashArea(before: string, after: string): boolean {
  return before.startsWith('0') ? after.length >= 5 : /^[1-9]\d{1,2}$/.test(before) && after.length >= 6;
}

/**
 * A national number's written shape: two to five digit groups (a lone trunk digit such as the `1` of
 * `1-800-…` may lead), one of them an area code in parentheses at most. Groups have two or more digits,
 * but the area code may have one when two groups follow and they are not a thousands grouping
 * (`2 22 67 79 41`, `(7) 1693 6843`, not `1 234 567`). Separators are single spaces, hyphens or dots,
 * and after the area code all of one kind: `08-123 45 67`, `(71) 4233-6306`, `8 029 491-19-11`; a slash
 * may follow a trunk-zero area code (`030/123 4567`, `(06)30/123-4567`). Dots make a phone only as
 * `415.555.2671` or in four or more short groups (`03.93.92.16.85`); otherwise they are decimals,
 * versions or amounts. Groups that are all years, or only 0 and 1, are ranges, lists or binary.
 */
function phoneShape(core: string): boolean {
  const spaced = core.replace(/\)(?=\d)/, ') ');
  const tokens = spaced.match(/\(\d+\)|\d+|[^\d()]+/g) ?? [];
  if (tokens.join('') !== spaced) return false;
  const groups: string[] = [];
  const separators: string[] = [];
  let paren = -1;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (i % 2 === 1) {
      if (!/^[ ./-]$/.test(token)) return false;
      separators.push(token);
    } else {
      if (!/\d/.test(token)) return false;
      if (token.startsWith('(')) {
        if (paren !== -1) return false;
        paren = groups.length;
      }
      groups.push(token.replace(/[()]/g, ''));
    }
  }
  const trunk = /^[018]$/.test(groups[0]!) && (paren === 1 || groups.length >= 4) ? 1 : 0;
  const area = paren === -1 ? trunk : paren;
  const national = groups.slice(trunk);
  const count = national.length;
  if (count < 2 || count > 5 || paren > trunk) return false;
  const slash = separators.indexOf('/');
  // An area code written after a hyphenated trunk prefix, up to a slash (`06-1/291 1028`, `06-56/815 1884`): it may have one digit.
  const trunkArea = slash === area + 1 && paren === -1 && separators[area] === '-' && /^0\d?$/.test(groups[area]!);
  if (national.slice(1).some((g, i) => g.length < 2 && !(trunkArea && i + 1 + trunk === slash) && !middleDigit(national, separators, i + 1))) return false;
  if (national[0]!.length < 2 && (paren === -1 ? count < 3 || national.slice(1).every((g) => g.length === 3) : count < 2)) return false;
  // A slash ends the area code: right after it, after the group that follows one in parentheses or a hyphenated trunk prefix.
  if (slash !== -1 && (!(slash === area || (paren === area && slash === area + 1) || trunkArea) || !slashArea(groups.slice(0, slash + 1).join(''), groups.slice(slash + 1).join('')))) return false;
  // Separators up to and including the one after the area code may differ from the rest.
  const body = separators.slice(Math.max(area, slash) + 1);
  if (new Set(body).size > 1 || body.includes('/')) return false;
  const written = separators.join('');
  if (written.includes('.')) {
    if (!/^\.+$/.test(written) || !(count >= 4 ? national.every((g) => g.length <= 4) : /^\d{3}\.\d{3}\.\d{4}$/.test(national.join('.')) || dottedTrunkArea(national))) return false;
  }
  if (count === 2 && paren === -1 && !twoGroups(national[0]!, separators[trunk]!, national[1]!)) return false;
  return !groups.every((g) => YEAR.test(g)) && /[2-9]/.test(groups.join(''));
}

/**
 * Three dotted groups after a trunk-zero area code: two to four digits, then two of three or four that are
 * not a year (`0474.284.352`, `03.9405.5761`, `(03).7354.8643`); a version or a decimal does not start so.
 */
function dottedTrunkArea(national: readonly string[]): boolean {
  return national.length === 3 && /^0\d{1,3}$/.test(national[0]!) && /^\d{3,4}$/.test(national[1]!) && /^\d{3,4}$/.test(national[2]!) && !YEAR.test(national[1]!);
}

/**
 * A one-digit group between hyphens, after a trunk-zero area code of three or more digits and before four
 * or more digits (`08065-6-7942`, Japanese numbering); elsewhere a lone digit reads as a list or a date part.
 */
function middleDigit(national: readonly string[], separators: readonly string[], index: number): boolean {
  return national.length === 3 && index === 1 && /^0\d{2,}$/.test(national[0]!) && national[2]!.length >= 4 && separators.every((s) => s === '-');
}

/**
 * A run inside a longer row of numbers (`… 88 89 90 93 84 87 93 …`) or before `=` is data, not a phone.
 * A number just before the run makes a row only when the run is split the same way, or not at all: a
 * ZIP code before `555-0134`, `030/1234567`, `(206) 555-0134` or `+44 20 7946 0958` (a `+` or a
 * parenthesis opens a number) is an address and a phone side by side. A `00` prefix does not count as
 * one: inside a row of groups of four (an IBAN's `… 3704 0044 0532 …`) it is data.
 */
function inNumberRow(text: string, start: number, end: number, core: string): boolean {
  const before = /\d([ .-])$/.exec(text.slice(Math.max(0, start - 2), start));
  if (before && !/^[+(]/.test(core) && (/^\d+$/.test(core) || core.includes(before[1]!))) return true;
  return /^(?:[ .-]\d| ?=)/.test(text.slice(end, end + 2));
}

/** A run of thousands: one to three digits, then groups of three split by spaces or dots (`12 345 678`). */
const THOUSANDS = /^\d{1,3}(?:[ .]\d{3})+$/;

/**
 * Before a comma and a digit, a run is the next field of a list or a CSV row (`Ana,555-0134,98101`) when
 * it is split as phones are and not as thousands; unseparated (`1234567,89`) or in thousands
 * (`12 345 678,90`) it is an amount with a decimal comma.
 */
function listNext(text: string, end: number, core: string): boolean {
  return !/^,\d/.test(text.slice(end, end + 2)) || (!/^\d+$/.test(core) && !THOUSANDS.test(core));
}

/**
 * Where to look again after a rejected run: a number set before a phone with a space (a ZIP code, a house
 * number) is read as the phone's first group, so the scan resumes at the run's second group.
 */
function secondGroup(value: string): number {
  return /^\d+ (?=[\d(+])/.exec(value)?.[0].length ?? 0;
}

/** Whether every `)` closes an earlier `(` and none is left open. */
function balanced(value: string): boolean {
  let depth = 0;
  for (const c of value) {
    if (c === '(') depth++;
    else if (c === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

/**
 * Parentheses around the whole run, or one left open or closed by the prose around it, are not part of
 * the number: `(0044 20 7946 0958)`, `(+250 (0)720 123 456)`. Returns the offsets to drop at each end.
 */
function strayParentheses(value: string): [number, number] {
  const opens = value.split('(').length - 1;
  const closes = value.split(')').length - 1;
  if (opens > closes && value.startsWith('(')) return [1, 0];
  if (closes > opens && value.endsWith(')')) return [0, 1];
  if (value.startsWith('(') && value.endsWith(')') && balanced(value.slice(1, -1))) return [1, 1];
  return [0, 0];
}

/** Whether the run `core` (its extension dropped) at `start`–`end` of `text` is taken as a phone. */
function isPhone(text: string, start: number, end: number, core: string): boolean {
  const digits = digitCount(core);
  // The date shapes also hold the SSN and IPv4 ones: a number shaped like one is not taken as a phone.
  if (digits < 7 || digits > 15 || dateLike(core)) return false;
  if (inNumberRow(text, start, end, core) || !listNext(text, end, core)) return false;
  if (/^(?:\(?\+|00)/.test(core)) return internationalNumber(core) || writtenInternational(core);
  // Other plain digit runs are too often counts, ids or amounts: a cue is required.
  return phoneShape(core) || (PLAIN.test(core) && /[2-9]/.test(core)) || CUE.test(text.slice(Math.max(0, start - 48), start));
}

export function detectPhones(text: string, out: Finding[]): void {
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(text); m !== null; m = CANDIDATE.exec(text)) {
    const [head, tail] = strayParentheses(m[0]);
    const start = m.index + head;
    const value = m[0].slice(head, m[0].length - tail);
    const end = start + value.length;
    const core = value.replace(EXTENSION, '');
    if (isPhone(text, start, end, core)) out.push({ type: 'phone', start, end });
    else {
      const skip = secondGroup(value);
      if (skip > 0) CANDIDATE.lastIndex = start + skip;
    }
  }
}
