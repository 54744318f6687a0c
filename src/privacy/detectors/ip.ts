import { isIPv6 } from 'node:net';
import type { Finding } from '../entities.ts';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
// Boundaries are checked in code: a lookbehind at the start of a pattern is tried at every position.
const IPV4 = new RegExp(`${OCTET}(?:\\.${OCTET}){3}(?![\\d]|\\.\\d)`, 'g');
const IPV6 = /(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{0,4}|\d{1,3}(?:\.\d{1,3}){3})(?![\w:])/y;

/**
 * Private, loopback, link-local, unspecified, broadcast and documentation ranges identify no one
 * outside a network, and fill configuration questions: they are not reported.
 */
const NOT_PERSONAL_V4 = /^(?:10\.|127\.|0\.|169\.254\.|192\.168\.|172\.(?:1[6-9]|2\d|3[01])\.|255\.255\.255\.255$|192\.0\.2\.|198\.51\.100\.|203\.0\.113\.)/;

export function detectIps(text: string, out: Finding[]): void {
  if (text.includes('.')) {
    IPV4.lastIndex = 0;
    for (let m = IPV4.exec(text); m !== null; m = IPV4.exec(text)) {
      if (m.index > 0 && /[\d.]/.test(text[m.index - 1]!)) continue;
      if (NOT_PERSONAL_V4.test(m[0])) continue;
      out.push({ type: 'ip', start: m.index, end: m.index + m[0].length });
    }
  }
  let done = 0;
  const hex = (i: number): boolean => i >= 0 && i < text.length && /[0-9A-Fa-f:]/.test(text[i]!);
  for (let colon = text.indexOf(':'); colon !== -1; colon = text.indexOf(':', colon + 1)) {
    // An IPv6 address has a colon between hex digits or colons; prose colons are followed by a space.
    if (colon < done || !hex(colon - 1) || !hex(colon + 1)) continue;
    // Walk back to where the address would start, then match it in place.
    let start = colon;
    while (start > 0 && hex(start - 1) && colon - start < 40) start--;
    if (start > 0 && /[\w.]/.test(text[start - 1]!)) continue;
    IPV6.lastIndex = start;
    const m = IPV6.exec(text);
    if (m === null) continue;
    const value = m[0];
    done = start + value.length;
    // `::`, `a::b` and clock times are valid or near-valid IPv6 text but not addresses worth a hit.
    if (value.replace(/[^0-9A-Fa-f]/g, '').length < 6 || !isIPv6(value)) continue;
    out.push({ type: 'ip', start, end: done });
  }
}
