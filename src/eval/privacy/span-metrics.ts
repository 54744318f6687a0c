/** A labelled or predicted span of one type. */
export interface Span {
  type: string;
  start: number;
  end: number;
}

export interface Counts {
  /** Gold spans found (recall numerator). */
  goldHit: number;
  gold: number;
  /** Predicted spans that are right (precision numerator). */
  predHit: number;
  pred: number;
}

export interface Scores extends Counts {
  precision: number;
  recall: number;
  f1: number;
}

export type Matching = 'overlap' | 'exact';

function matches(a: Span, b: Span, matching: Matching): boolean {
  if (a.type !== b.type) return false;
  return matching === 'exact' ? a.start === b.start && a.end === b.end : a.start < b.end && b.start < a.end;
}

export function emptyCounts(): Counts {
  return { goldHit: 0, gold: 0, predHit: 0, pred: 0 };
}

/**
 * Adds one document's spans to per-type counts. Overlap matching (Presidio evaluator's convention):
 * a gold span is found when a predicted span of its type overlaps it; a prediction is right when it
 * overlaps a gold span of its type. Exact matching needs the same boundaries.
 */
export function addDocument(counts: Map<string, Counts>, gold: readonly Span[], pred: readonly Span[], matching: Matching): void {
  const entry = (type: string): Counts => {
    let c = counts.get(type);
    if (c === undefined) counts.set(type, (c = emptyCounts()));
    return c;
  };
  for (const g of gold) {
    const c = entry(g.type);
    c.gold++;
    if (pred.some((p) => matches(g, p, matching))) c.goldHit++;
  }
  for (const p of pred) {
    const c = entry(p.type);
    c.pred++;
    if (gold.some((g) => matches(g, p, matching))) c.predHit++;
  }
}

export function score(c: Counts): Scores {
  const precision = c.pred === 0 ? (c.gold === 0 ? 1 : 0) : c.predHit / c.pred;
  const recall = c.gold === 0 ? 1 : c.goldHit / c.gold;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { ...c, precision, recall, f1 };
}

export function sumCounts(all: Iterable<Counts>): Counts {
  const total = emptyCounts();
  for (const c of all) {
    total.goldHit += c.goldHit;
    total.gold += c.gold;
    total.predHit += c.predHit;
    total.pred += c.pred;
  }
  return total;
}
