/** Lower case, letters and digits only, single spaces: the form overlaps are compared in. */
export function normalizeText(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

const SHINGLE = 5;

function shingles(normalized: string): string[] {
  const words = normalized.split(' ');
  if (words.length < SHINGLE) return [normalized];
  const out: string[] = [];
  for (let i = 0; i + SHINGLE <= words.length; i++) out.push(words.slice(i, i + SHINGLE).join(' '));
  return out;
}

/**
 * An index of evaluation texts. A candidate overlaps when its normalized text equals or is contained
 * in an evaluation text, or when at least `minShare` of its 5-word shingles occur in evaluation texts
 * (catches MMLU-Pro's lightly edited MMLU questions and re-serialised copies).
 */
export class OverlapIndex {
  readonly #shingles = new Set<string>();
  readonly #texts: string[] = [];
  readonly #exact = new Set<string>();

  readonly minShare: number;

  constructor(minShare = 0.5) {
    this.minShare = minShare;
  }

  add(text: string): void {
    const normalized = normalizeText(text);
    this.#exact.add(normalized);
    this.#texts.push(normalized);
    for (const s of shingles(normalized)) this.#shingles.add(s);
  }

  overlaps(text: string): boolean {
    const normalized = normalizeText(text);
    if (normalized === '' || this.#exact.has(normalized)) return true;
    const own = shingles(normalized);
    let hits = 0;
    for (const s of own) if (this.#shingles.has(s)) hits++;
    if (hits / own.length >= this.minShare) return true;
    // Short texts have one shingle: also look for containment.
    return own.length === 1 && normalized.length >= 20 && this.#texts.some((t) => t.includes(normalized));
  }
}
