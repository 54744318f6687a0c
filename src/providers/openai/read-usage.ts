import type { Usage } from '../../canonical/index.ts';
import { decodeUsage } from './chat-to-events.ts';

const KEY = Buffer.from('"usage"', 'latin1');
const [SPACE, TAB, LF, CR] = [0x20, 0x09, 0x0a, 0x0d];
const [QUOTE, BACKSLASH, COLON, COMMA] = [0x22, 0x5c, 0x3a, 0x2c];
const [OPEN_BRACE, CLOSE_BRACE, OPEN_BRACKET, CLOSE_BRACKET] = [0x7b, 0x7d, 0x5b, 0x5d];

/**
 * The usage of a whole (non-streamed) OpenAI-wire body. Usage is the last member of the answer, so
 * instead of parsing a body that may be many kilobytes of text only to read one small object, the
 * object is cut out and parsed alone — when that is exact: one `"usage"` in the body, as a member
 * of the top-level object (nothing but scalars and the closing brace after it). Any other body is
 * parsed whole, as before.
 */
export function readUsage(body: Buffer): Usage | null {
  const at = body.lastIndexOf(KEY);
  if (at === -1) return null;
  const cut = at === body.indexOf(KEY) ? topLevelObjectAfter(body, at) : undefined;
  if (cut !== undefined) {
    try {
      return decodeUsage(cut === null ? null : JSON.parse(cut));
    } catch {
      // Not JSON after all: the whole body decides.
    }
  }
  try {
    return decodeUsage((JSON.parse(body.toString('utf8')) as { usage?: unknown }).usage);
  } catch {
    return null;
  }
}

function isSpace(byte: number | undefined): boolean {
  return byte === SPACE || byte === TAB || byte === LF || byte === CR;
}

/** The text of the object (or null) that `"usage"` at `at` names, if it is a top-level member; else undefined. */
function topLevelObjectAfter(body: Buffer, at: number): string | null | undefined {
  let before = at - 1;
  while (isSpace(body[before])) before--;
  // A member name follows `{` or `,`; a quote inside a string always follows a backslash.
  if (body[before] !== OPEN_BRACE && body[before] !== COMMA) return undefined;
  let i = at + KEY.length;
  while (isSpace(body[i])) i++;
  if (body[i] !== COLON) return undefined;
  i++;
  while (isSpace(body[i])) i++;
  const start = i;
  if (body[i] === 0x6e && body.toString('latin1', i, i + 4) === 'null') return onlyScalarsThenEnd(body, i + 4) ? null : undefined;
  if (body[i] !== OPEN_BRACE) return undefined;
  const end = matchingBrace(body, i);
  if (end === -1 || !onlyScalarsThenEnd(body, end + 1)) return undefined;
  return body.toString('utf8', start, end + 1);
}

/** The index of the `}` that closes the object opened at `open`, skipping strings; -1 if none. */
function matchingBrace(body: Buffer, open: number): number {
  let depth = 0;
  for (let i = open; i < body.length; i++) {
    const byte = body[i];
    if (byte === QUOTE) {
      for (i++; i < body.length && body[i] !== QUOTE; i++) if (body[i] === BACKSLASH) i++;
    } else if (byte === OPEN_BRACE) depth++;
    else if (byte === CLOSE_BRACE && --depth === 0) return i;
  }
  return -1;
}

/**
 * True when the rest of the body holds no object or array and exactly one `}`, its last non-space
 * byte: the member just read then belongs to the outermost object. A brace inside a trailing string
 * fails the test, which only costs the fast path.
 */
function onlyScalarsThenEnd(body: Buffer, from: number): boolean {
  let last = body.length - 1;
  while (isSpace(body[last])) last--;
  if (last < from || body[last] !== CLOSE_BRACE) return false;
  for (let i = from; i < last; i++) {
    const byte = body[i];
    if (byte === OPEN_BRACE || byte === CLOSE_BRACE || byte === OPEN_BRACKET || byte === CLOSE_BRACKET) return false;
  }
  return true;
}
