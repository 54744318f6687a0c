import type { Finding } from '../entities.ts';

/**
 * Street addresses: a house number with a street name ending in a street word (English, and the
 * common continental suffixes), or a street word first ("Rue…", "Via…") with a number; then what
 * follows on the same line and up to two locality lines (unit, city, region, postcode) is taken too.
 */
const SUFFIX =
  '(?i:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|terrace|circle|cir|highway|hwy|parkway|pkwy|square|sq|crescent|close|row|alley|trail|route|plaza|walk|mews|grove|gardens|hill|cliffs?|forges?|union|view|park|ridge|loop|pike|center|crossing|bypass|estates?|expressway|freeway|glen|heights|junction|manor|meadows?|mill|pass|path|point|port|shores?|springs?|station|summit|track|valley|village|vista|wells?)';
const CONTINENTAL = '(?i:[\\p{L}-]*(?:katu|kuja|tie|gatan|gata|gate|vägen|veien|vej|gade|straße|strasse|str\\.|weg|laan|straat|gasse|platz|utca|út|ulica|ul\\.|ulice|tér|náměstí|allee))';
const LEADING = '(?i:rue|via|viale|calle|avenida|av\\.?|rua|piazza|plaza|carrer|boulevard|chemin|place|ul\\.)';
const WORD = "[\\p{Lu}\\p{N}][\\p{L}'’.-]*";
const STREET = new RegExp(
  [
    `\\b\\d{1,6}[A-Za-z]?(?:[ \\t]+${WORD}){1,4}?[ \\t]+${SUFFIX}\\b\\.?`,
    `(?<![\\p{L}])${CONTINENTAL}[ \\t]+\\d{1,5}[A-Za-z]?\\b\\.?`,
    `\\b${LEADING}(?:[ \\t]+[\\p{L}'’.-]+){1,4}?[ \\t]+\\d{1,5}\\b`,
    `\\b(?i:P\\.?O\\.? Box|(?:Unit|PSC) \\d+,? Box)[ \\t]+\\d+`,
    // "20789 Allika 46", "5586 Þórunnarstræti 31": a number, a capitalised street name, a number.
    `(?<![\\d/.,-])\\b\\d{1,6} +\\p{Lu}[\\p{L}'’.-]+(?: +\\p{Lu}[\\p{L}'’.-]+){0,2} +\\d{1,5}[A-Za-z]?\\b`,
  ].join('|'),
  'gu',
);
const UNIT = /^(?:,?[ \t]*(?:apt\.?|apartment|suite|ste\.?|unit|floor|fl\.?|#)[ \t]*[\w-]+)/i;
/** A locality: "Springfield, IL 62704", "PORI", "Finland 87971", "DPO AA 13319". */
const LOCALITY = /^(?:,?[ \t]*\n?[ \t]*,?[ \t]*)(?:[\p{Lu}][\p{L}'’.-]*(?:[ \t]+[\p{L}'’.-]+){0,3}(?:,?[ \t]+[A-Z]{2})?(?:[ \t]+\d{4,6}(?:-\d{4})?)?|\d{4,6}(?:-\d{4})?)(?=[ \t]*(?:[\n,.;!?)]|$))/u;

/** After these words, the rest of the line (when it holds a number) is taken as an address. */
const CUED = /(?:\baddress(?:es)?(?: is)?:?|\blive[sd]? (?:at|on)|\blocated at|\b(?:office|shop|store|restaurant) is at|\bship(?:ped)? to|\bsen[dt] (?:it )?to|\bdeliver(?:ed)? to|\bmeet (?:me |you )?at)[ \t]*\n?[ \t]*([^\n.;!?]{4,80})/giu;

function detectCued(text: string, out: Finding[]): void {
  CUED.lastIndex = 0;
  for (let m = CUED.exec(text); m !== null; m = CUED.exec(text)) {
    const value = m[1]!.trimEnd();
    if (!/^[\p{Lu}\d]/u.test(value) || !/\d/.test(value) || !/\p{Lu}\p{L}{2}/u.test(value)) continue;
    const start = m.index + m[0].length - m[1]!.length;
    out.push({ type: 'address', start, end: extendLocality(text, start + value.length) });
  }
}

function extendLocality(text: string, from: number): number {
  let end = from;
  const unit = UNIT.exec(text.slice(end, end + 40));
  if (unit) end += unit[0].length;
  for (let line = 0; line < 3; line++) {
    const more = LOCALITY.exec(text.slice(end, end + 80));
    if (!more) break;
    end += more[0].length;
    const nextUnit = UNIT.exec(text.slice(end, end + 40));
    if (nextUnit) end += nextUnit[0].length;
  }
  return end;
}

/**
 * Every street pattern holds a number, so the patterns run only on windows around the digits, widened
 * to word boundaries: prose with few numbers costs little.
 */
function digitWindows(text: string): Array<[number, number]> {
  const windows: Array<[number, number]> = [];
  DIGITS.lastIndex = 0;
  for (let m = DIGITS.exec(text); m !== null; m = DIGITS.exec(text)) {
    let from = Math.max(0, m.index - 60);
    while (from > 0 && !/\s/.test(text[from - 1]!)) from--;
    const to = Math.min(text.length, m.index + m[0].length + 60);
    const last = windows.at(-1);
    if (last !== undefined && from <= last[1]) last[1] = Math.max(last[1], to);
    else windows.push([from, to]);
  }
  return windows;
}
const DIGITS = /\d+/g;

export function detectAddresses(text: string, out: Finding[]): void {
  detectCued(text, out);
  let done = 0;
  for (const [from, to] of digitWindows(text)) {
    const window = text.slice(Math.max(from, done), to);
    const offset = Math.max(from, done);
    STREET.lastIndex = 0;
    for (let m = STREET.exec(window); m !== null; m = STREET.exec(window)) {
      const end = extendLocality(text, offset + m.index + m[0].length);
      out.push({ type: 'address', start: offset + m.index, end });
      done = end;
      if (end >= offset + window.length) break;
      STREET.lastIndex = end - offset;
    }
  }
}
