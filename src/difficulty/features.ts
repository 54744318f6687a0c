import type { CanonicalRequest } from '../canonical/index.ts';

/**
 * Cheap features of a prompt, computed in one pass over its characters (no regex, no token arrays):
 * signed hashed word unigrams and bigrams (numbers folded to one token per digit count) scaled by
 * 1/sqrt(words), and a few dense length/structure features. The bucket count is part of the artifact.
 */
export interface PromptFeatures {
  /** Hashed bucket per entry, in `[0, buckets)`; a bucket may repeat. */
  indices: Int32Array;
  /** Signed value per entry, aligned with `indices`. */
  values: Float64Array;
  /** How many entries of `indices`/`values` are used (0 when scored against weights directly). */
  length: number;
  dense: Float64Array;
  /** With `weights` given: Σ sign × weight over the hashed entries, before `scale`. */
  dot: number;
  /** 1/sqrt(words), the factor of every hashed entry. */
  scale: number;
}

export const DENSE_NAMES = [
  'log_chars', 'log_words', 'digit_share', 'log_numbers', 'math_symbol_share', 'code_symbol_share',
  'log_lines', 'question_marks', 'upper_share', 'long_word_share', 'log_messages', 'has_system',
] as const;

/** Only the tail is read: the question sits at the end, and the cost must stay bounded. */
export const MAX_CHARS = 6144;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** The text a router reads: system/developer and user text, in order, newline-joined. */
export function promptText(request: Pick<CanonicalRequest, 'messages'>): string {
  const texts: string[] = [];
  for (const message of request.messages) {
    if (message.role === 'assistant' || message.role === 'tool') continue;
    for (const part of message.parts) if (part.type === 'text') texts.push(part.text);
  }
  // join builds one flat string: reading a concatenation (a rope) character by character is slower.
  return texts.length === 1 ? texts[0]! : texts.join('\n');
}

// Character classes of ASCII, looked up instead of compared (the loop runs once per character).
const LOWER = 1, UPPER = 2, DIGIT = 3, OTHER = 4, NEWLINE = 5, QUESTION = 6, MATH = 7, CODE = 8;
const CHAR_CLASS = new Uint8Array(128).fill(OTHER);
for (let c = 97; c <= 122; c++) CHAR_CLASS[c] = LOWER;
for (let c = 65; c <= 90; c++) CHAR_CLASS[c] = UPPER;
for (let c = 48; c <= 57; c++) CHAR_CLASS[c] = DIGIT;
CHAR_CLASS[10] = NEWLINE;
CHAR_CLASS[63] = QUESTION;
for (const ch of '=+*/^<>%') CHAR_CLASS[ch.charCodeAt(0)] = MATH;
for (const ch of '{};()`[]_') CHAR_CLASS[ch.charCodeAt(0)] = CODE;

function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Featurizes `text` with `buckets` (a power of two) hash buckets; `messages`/`hasSystem` describe the
 * request. With `weights` (the router), the hashed entries are not stored but summed into `dot` as they
 * are found: one pass, no arrays.
 */
export function featurize(text: string, buckets: number, messages = 1, hasSystem = false, out?: PromptFeatures, weights?: Float64Array): PromptFeatures {
  const start = text.length > MAX_CHARS ? text.length - MAX_CHARS : 0;
  const features = out ?? newFeatures(weights ? 0 : 2 * MAX_CHARS + 2);
  const mask = buckets - 1;
  let n = 0;
  let dot = 0;
  let words = 0, digits = 0, numbers = 0, math = 0, code = 0, lines = 1, questions = 0, upper = 0, longWords = 0;
  let hash = FNV_OFFSET, kind = 0, wordLength = 0, previous = 0;
  const indices = features.indices;
  const values = features.values;
  // One pass; the position after the last character acts as a separator that ends the last word.
  for (let i = start; i <= text.length; i++) {
    let c = i < text.length ? text.charCodeAt(i) : 32;
    const cls = c < 128 ? CHAR_CLASS[c]! : c >= 0xc0 ? LOWER : OTHER;
    if (cls <= DIGIT) {
      if (cls === DIGIT) digits++;
      else if (cls === UPPER) {
        upper++;
        c += 32;
      }
      if (kind === 0) kind = cls === DIGIT ? 2 : 1;
      else if (kind === 2 && cls !== DIGIT) kind = 1;
      hash = Math.imul(hash ^ c, FNV_PRIME);
      wordLength++;
      continue;
    }
    if (kind !== 0) {
      // A number becomes a token per digit count, so "17" and "42" share a feature.
      const token = kind === 2 ? mix(0x5eed, wordLength) : hash >>> 0;
      const pair = previous === 0 ? 0 : mix(previous, token);
      if (weights) {
        dot += token & 0x80000000 ? -weights[token & mask]! : weights[token & mask]!;
        if (previous !== 0) dot += pair & 0x80000000 ? -weights[pair & mask]! : weights[pair & mask]!;
      } else {
        indices[n] = token & mask;
        values[n++] = token & 0x80000000 ? -1 : 1;
        if (previous !== 0) {
          indices[n] = pair & mask;
          values[n++] = pair & 0x80000000 ? -1 : 1;
        }
      }
      previous = token || 1;
      words++;
      if (kind === 2) numbers++;
      else if (wordLength >= 10) longWords++;
      hash = FNV_OFFSET;
      kind = 0;
      wordLength = 0;
    }
    if (cls === NEWLINE) lines++;
    else if (cls === QUESTION) questions++;
    else if (cls === MATH) math++;
    else if (cls === CODE) code++;
  }
  const scale = 1 / Math.sqrt(Math.max(words, 1));
  for (let i = 0; i < n; i++) features.values[i]! *= scale;
  features.length = n;
  features.dot = dot;
  features.scale = scale;
  const chars = Math.max(text.length - start, 1);
  const d = features.dense;
  d[0] = Math.log1p(chars) / 8;
  d[1] = Math.log1p(words) / 6;
  d[2] = (digits / chars) * 5;
  d[3] = Math.log1p(numbers) / 3;
  d[4] = (math / chars) * 20;
  d[5] = (code / chars) * 20;
  d[6] = Math.log1p(lines) / 4;
  d[7] = Math.min(questions, 5) / 5;
  d[8] = (upper / chars) * 5;
  d[9] = (longWords / Math.max(words, 1)) * 4;
  d[10] = Math.log1p(messages) / 3;
  d[11] = hasSystem ? 1 : 0;
  return features;
}

/** Scratch space for `featurize`, reusable from one call to the next. */
export function newFeatures(capacity = 2 * MAX_CHARS + 2): PromptFeatures {
  return { indices: new Int32Array(capacity), values: new Float64Array(capacity), length: 0, dense: new Float64Array(DENSE_NAMES.length), dot: 0, scale: 1 };
}
