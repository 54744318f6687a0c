import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Finding } from '../entities.ts';

/**
 * Phone-shaped runs: an optional `+`, digit groups split by spaces, dots, hyphens or parentheses, an
 * optional extension. An international run counts when its length fits its country code; a national
 * one by its written shape alone (phoneShape), since the words around a number vary too much to lean
 * on; a plain digit run only after a cue word ("phone", "call", "fax"…).
 */
const CANDIDATE = /(?<![\w+.-])(?:\+ ?|00)?\(?\d+\)?(?:(?:[ .-]{1,2}|(?<=\))|(?=\())\(?\d+\)?){0,6}(?:\s?(?:x|ext\.?|#)\s?\d{1,6})?(?![\w:-]|[.,]\d)/g;
const EXTENSION = /\s?(?:x|ext\.?|#)\s?\d{1,6}$/;
const CUE = /(?:phone|tel(?:ephone)?|call(?:ed)?|mobile|cell|fax|desk|sms|text(?:ed)? me|whats ?app|contact(?: me)?|reach(?: me)?|dial|ph\.|mob\.|hotline|(?:my|your|his|her|our|their) (?:new |old |home |work |cell |mobile )?number)\b[^\d]{0,24}$/i;
const DATE_LIKE = /^(?:\d{1,3}(?:\.\d{1,3}){3}|\d{3}-\d{2}-\d{4}|\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}|\d{1,2}:\d{2}(?::\d{2})?)$/;
const YEAR = /^(?:1[89]|20)\d\d$/;

function digitCount(value: string): number {
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

/**
 * International numbers need only be possible for their country code (the right length): the `+` and a
 * real code already make them phones, and much written-down numbering is not in any plan (`+1-903-140-…`).
 * A trunk zero in parentheses (`+41 (0)71 …`) is dropped first.
 */
function internationalNumber(core: string): boolean {
  const e164 = (core.startsWith('00') ? `+${core.slice(2)}` : core).replace(/\(0\)/, '');
  return parsePhoneNumberFromString(e164)?.isPossible() ?? false;
}

/**
 * A national number's written shape: two to five digit groups of two or more digits (a lone trunk digit
 * such as the `1` of `1-800-…` may lead), one of them an area code in parentheses at most. Separators
 * are single spaces, hyphens or dots, and after the area code (the first group, or the one in
 * parentheses) all of one kind: `08-123 45 67`, `(71) 4233-6306`. Dots make a phone only as
 * `415.555.2671` or in four or more short groups (`03.93.92.16.85`); otherwise they are decimals,
 * versions or amounts. Two groups need the longer one last (`467 3395`, `99 668472`), and with a
 * hyphen an area code with a trunk zero and six or more digits after it (`0961-7596216`): otherwise
 * they are ranges (`1495-1505`), ZIP+4 codes or columns. Groups that are all years, or only 0 and 1,
 * are ranges, lists or binary.
 */
function phoneShape(core: string): boolean {
  const spaced = core.replace(/\)(?=\d)/, ') ');
  const tokens = spaced.match(/\(\d+\)|\d+|[^\d()]+/g) ?? [];
  if (tokens.join('') !== spaced) return false;
  const groups: string[] = [];
  const body = new Set<string>();
  let paren = -1;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (i % 2 === 1) {
      if (!/^[ .-]$/.test(token)) return false;
      // The separator after the area code may differ from the others.
      if (i > 1 && !tokens[i - 1]!.startsWith('(')) body.add(token);
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
  const count = groups.length - trunk;
  if (count < 2 || count > 5 || paren > trunk || groups.slice(trunk).some((g) => g.length < 2) || body.size > 1) return false;
  const separators = tokens.filter((_, i) => i % 2 === 1).join('');
  if (separators.includes('.')) {
    const national = groups.slice(trunk);
    if (!/^\.+$/.test(separators) || !(count >= 4 ? national.every((g) => g.length <= 4) : /^\d{3}\.\d{3}\.\d{4}$/.test(national.join('.')))) return false;
  }
  if (count === 2 && paren === -1) {
    const [first, second] = groups as [string, string];
    if (separators === '-' ? !/^0\d{1,3}$/.test(first) || second.length < 6 : second.length < Math.max(4, first.length)) return false;
  }
  return !groups.every((g) => YEAR.test(g)) && /[2-9]/.test(groups.join(''));
}

/** A run inside a longer row of numbers (`… 88 89 90 93 84 87 93 …`) is data, not a phone. */
function inNumberRow(text: string, start: number, end: number): boolean {
  return /\d[ .-]$/.test(text.slice(Math.max(0, start - 2), start)) || /^[ .-]\d/.test(text.slice(end, end + 2));
}

export function detectPhones(text: string, out: Finding[]): void {
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(text); m !== null; m = CANDIDATE.exec(text)) {
    let value = m[0];
    // A closing parenthesis that ends the match without an opening one belongs to the prose.
    if (value.endsWith(')') && !value.includes('(')) value = value.slice(0, -1);
    const digits = digitCount(value);
    // DATE_LIKE also holds the SSN and IPv4 shapes: a number shaped like one is not taken as a phone.
    if (digits < 7 || digits > 15 || DATE_LIKE.test(value)) continue;
    const end = m.index + value.length;
    if (inNumberRow(text, m.index, end)) continue;
    const core = value.replace(EXTENSION, '');
    let phone: boolean;
    if (/^(?:\+|00)/.test(core)) phone = internationalNumber(core);
    // Plain digit runs are too often counts, ids or amounts: a cue is required.
    else phone = phoneShape(core) || CUE.test(text.slice(Math.max(0, m.index - 48), m.index));
    if (phone) out.push({ type: 'phone', start: m.index, end });
  }
}
