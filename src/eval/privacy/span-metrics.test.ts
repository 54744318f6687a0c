import { describe, expect, it } from 'vitest';
import { addDocument, score, type Counts } from './span-metrics.ts';

describe('span metrics', () => {
  const gold = [
    { type: 'email', start: 0, end: 10 },
    { type: 'email', start: 20, end: 30 },
    { type: 'phone', start: 40, end: 50 },
  ];
  const pred = [
    { type: 'email', start: 0, end: 10 }, // exact
    { type: 'email', start: 25, end: 35 }, // overlaps only
    { type: 'phone', start: 60, end: 70 }, // wrong place
    { type: 'email', start: 40, end: 50 }, // right place, wrong type
  ];

  it('overlap matching counts a partial hit, exact matching does not; types must agree', () => {
    const overlap = new Map<string, Counts>();
    addDocument(overlap, gold, pred, 'overlap');
    expect(score(overlap.get('email')!)).toMatchObject({ gold: 2, goldHit: 2, pred: 3, predHit: 2, recall: 1 });
    expect(score(overlap.get('phone')!)).toMatchObject({ gold: 1, goldHit: 0, pred: 1, predHit: 0, f1: 0 });
    const exact = new Map<string, Counts>();
    addDocument(exact, gold, pred, 'exact');
    expect(score(exact.get('email')!)).toMatchObject({ goldHit: 1, predHit: 1, recall: 0.5 });
    expect(score(exact.get('email')!).precision).toBeCloseTo(1 / 3);
  });
});
