/**
 * Whether an answer repeats a long span of the hidden reasoning word for word — the sign of a prompt
 * that made the model copy its chain of thought into the visible text (reasoning.md §2.5). Words are
 * letters and digits, compared case-insensitively, so punctuation and spacing changes do not hide a copy.
 */
const WORD = /[\p{L}\p{N}]+/gu;

export function words(text: string): string[] {
  return (text.toLowerCase().match(WORD) ?? []) as string[];
}

/** FNV-1a of a word, 32 bits. */
function wordHash(word: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A 52-bit hash of `span` consecutive word hashes from `at`: two independent mixes, so collisions are rare. */
function windowHash(hashes: Uint32Array, at: number, span: number): number {
  let a = 0x9e3779b9;
  let b = 0x85ebca6b;
  for (let i = at; i < at + span; i++) {
    a = Math.imul(a ^ hashes[i]!, 0x01000193) >>> 0;
    b = (Math.imul(b, 31) + hashes[i]!) >>> 0;
  }
  return (a & 0x7ffffff) * 0x2000000 + (b & 0x1ffffff);
}

const sameWords = (x: string[], i: number, y: string[], j: number, span: number): boolean => {
  for (let k = 0; k < span; k++) if (x[i + k] !== y[j + k]) return false;
  return true;
};

/** True when some `span` consecutive words of an answer also stand consecutively in `reasoning`. */
export function copiesReasoning(reasoning: string, answers: readonly string[], span: number): boolean {
  const source = words(reasoning);
  if (source.length < span) return false;
  const sourceHashes = Uint32Array.from(source, wordHash);
  const windows = new Map<number, number>();
  for (let i = 0; i + span <= source.length; i++) {
    const h = windowHash(sourceHashes, i, span);
    if (!windows.has(h)) windows.set(h, i);
  }
  for (const answer of answers) {
    const target = words(answer);
    if (target.length < span) continue;
    const hashes = Uint32Array.from(target, wordHash);
    for (let j = 0; j + span <= target.length; j++) {
      const at = windows.get(windowHash(hashes, j, span));
      // A hash hit is checked word by word: a collision never flags an innocent answer.
      if (at !== undefined && sameWords(source, at, target, j, span)) return true;
    }
  }
  return false;
}
