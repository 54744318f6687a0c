import type { Finding } from '../entities.ts';
import { ibanLength, ibanValid, luhnValid } from './checksums.ts';

/** Payment cards: 12–19 digits, optionally in groups split by single spaces or hyphens, Luhn-valid, not after a `+`. */
const CARD = /(?<![\w.,+-])\d(?:[ -]?\d){11,18}(?![\d-]|[.,]\d)/g;

export function detectCards(text: string, out: Finding[]): void {
  CARD.lastIndex = 0;
  for (let m = CARD.exec(text); m !== null; m = CARD.exec(text)) {
    const digits = m[0].replace(/\D/g, '');
    // No card number starts with 0 (no issuer has that major industry identifier); a `+` before the run makes it a phone.
    if (digits.length < 12 || digits.startsWith('0') || !luhnValid(digits) || /^(\d)\1+$/.test(digits)) continue;
    if (/[ -]/.test(m[0]) && !/^\d{4}(?:[ -]\d{4}){2,3}(?:[ -]?\d{1,3})?$|^\d{4}[ -]\d{6}[ -]\d{4,5}$/.test(m[0])) continue;
    out.push({ type: 'card', start: m.index, end: m.index + m[0].length });
  }
}

/** US SSN: AAA-GG-SSSS with the SSA's never-issued ranges excluded; 9 plain digits only after a cue. */
const SSN = /(?<![\d-])(\d{3})([- ]?)(\d{2})\2(\d{4})(?![\d-])/g;
const SSN_CUE = /\b(?:ssn|social security|soc\.? sec)/i;

export function detectSsns(text: string, out: Finding[]): void {
  SSN.lastIndex = 0;
  for (let m = SSN.exec(text); m !== null; m = SSN.exec(text)) {
    const [, area, sep, group, serial] = m as unknown as [string, string, string, string, string];
    if (area === '000' || area === '666' || area[0] === '9' || group === '00' || serial === '0000') continue;
    if (sep !== '-' && !SSN_CUE.test(text.slice(Math.max(0, m.index - 40), m.index))) continue;
    out.push({ type: 'ssn', start: m.index, end: m.index + m[0].length });
  }
}

/** IBAN: country, check digits, then the BBAN, compact or in groups of four; ISO 7064 mod 97. */
const IBAN = /(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,4})?(?![A-Za-z0-9])/g;

export function detectIbans(text: string, out: Finding[]): void {
  IBAN.lastIndex = 0;
  for (let m = IBAN.exec(text); m !== null; m = IBAN.exec(text)) {
    // The pattern may run on into the next word; the country fixes the length, so cut there.
    const length = ibanLength(m[0].slice(0, 2));
    if (length === undefined) continue;
    let end = 0;
    let compact = '';
    while (end < m[0].length && compact.length < length) {
      if (m[0][end] !== ' ') compact += m[0][end];
      end++;
    }
    if (!ibanValid(compact)) continue;
    out.push({ type: 'iban', start: m.index, end: m.index + end });
    IBAN.lastIndex = m.index + end;
  }
}
