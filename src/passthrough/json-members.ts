/**
 * Finds the top-level members of a JSON object in its raw bytes, so that the passthrough path can
 * change one member (the model name) and forward every other byte exactly as the client sent it:
 * unknown fields, number spellings such as 1.0 or 2^53+1, escapes and whitespace all survive.
 * Only called on bytes that JSON.parse has already accepted as an object.
 */
export interface JsonMember {
  key: string;
  /** Offset of the key's opening quote. */
  start: number;
  /** Offset just past the key's closing quote. */
  keyEnd: number;
  valueStart: number;
  /** Offset just past the value. */
  valueEnd: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function skipSpace(bytes: Uint8Array, at: number): number {
  while (at < bytes.length && isSpace(bytes[at]!)) at++;
  return at;
}

/** `at` is an opening quote; returns the offset just past the closing quote. */
function skipString(bytes: Uint8Array, at: number): number {
  at++;
  while (at < bytes.length) {
    const byte = bytes[at]!;
    if (byte === BACKSLASH) at += 2;
    else if (byte === QUOTE) return at + 1;
    else at++;
  }
  return at;
}

function skipValue(bytes: Uint8Array, at: number): number {
  const first = bytes[at];
  if (first === QUOTE) return skipString(bytes, at);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    let depth = 0;
    while (at < bytes.length) {
      const byte = bytes[at]!;
      if (byte === QUOTE) {
        at = skipString(bytes, at);
        continue;
      }
      if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
      else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        depth--;
        if (depth === 0) return at + 1;
      }
      at++;
    }
    return at;
  }
  // number, true, false, null
  while (at < bytes.length) {
    const byte = bytes[at]!;
    if (byte === COMMA || byte === CLOSE_BRACE || isSpace(byte)) return at;
    at++;
  }
  return at;
}

function decodeKey(bytes: Uint8Array, start: number, end: number): string {
  const raw = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start);
  return raw.includes(BACKSLASH) ? (JSON.parse(raw.toString('utf8')) as string) : raw.toString('utf8', 1, raw.length - 1);
}

export function findTopLevelMembers(bytes: Uint8Array): JsonMember[] {
  const members: JsonMember[] = [];
  let at = skipSpace(bytes, 0);
  if (bytes[at] !== OPEN_BRACE) throw new TypeError('not a JSON object');
  at = skipSpace(bytes, at + 1);
  while (at < bytes.length && bytes[at] !== CLOSE_BRACE) {
    const start = at;
    const keyEnd = skipString(bytes, at);
    at = skipSpace(bytes, keyEnd);
    if (bytes[at] !== COLON) throw new TypeError(`expected ':' at ${at}`);
    const valueStart = skipSpace(bytes, at + 1);
    const valueEnd = skipValue(bytes, valueStart);
    members.push({ key: decodeKey(bytes, start, keyEnd), start, keyEnd, valueStart, valueEnd });
    at = skipSpace(bytes, valueEnd);
    if (bytes[at] === COMMA) at = skipSpace(bytes, at + 1);
  }
  return members;
}
