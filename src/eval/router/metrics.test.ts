import { describe, expect, it } from 'vitest';
import { apgrInterval, auroc, dollarSaving, oracleMetrics, qualityCurve, randomMetrics, routerMetrics, spearman } from './metrics.ts';

// Four prompts: weak right on 0 and 1, strong right on 0, 2, 3. q_weak = 0.5, q_strong = 0.75.
const items = [
  { score: 0.9, weak: 0, strong: 1 },
  { score: 0.6, weak: 1, strong: 0 },
  { score: 0.3, weak: 0, strong: 1 },
  { score: 0.1, weak: 1, strong: 1 },
];

describe('router metrics (RouteLLM definitions)', () => {
  it('sweeps the threshold from no strong calls to all', () => {
    expect(qualityCurve(items)).toEqual([
      { share: 0, quality: 0.5 },
      { share: 0.25, quality: 0.75 },
      { share: 0.5, quality: 0.5 },
      { share: 0.75, quality: 0.75 },
      { share: 1, quality: 0.75 },
    ]);
  });

  it('computes APGR, CPT and the premium share at 95% by hand', () => {
    const m = routerMetrics(items);
    // PGR at the points: 0, 1, 0, 1, 1 → trapezoids 0.125 + 0.125 + 0.125 + 0.25 = 0.625
    expect(m.apgr).toBeCloseTo(0.625, 12);
    expect(m.cpt50).toBeCloseTo(0.125, 12);
    expect(m.cpt80).toBeCloseTo(0.2, 12);
    // 0.95 × 0.75 = 0.7125: reached at 0.25 × (0.2125 / 0.25) = 0.2125
    expect(m.shareAt95).toBeCloseTo(0.2125, 12);
    expect([m.weakQuality, m.strongQuality]).toEqual([0.5, 0.75]);
  });

  it('treats tied scores as a random order: all ties give the random router', () => {
    const tied = items.map((item) => ({ ...item, score: 0.5 }));
    expect(routerMetrics(tied).apgr).toBeCloseTo(0.5, 12);
    expect(randomMetrics(items)).toMatchObject({ apgr: 0.5, cpt50: 0.5, cpt80: 0.8 });
    expect(randomMetrics(items).shareAt95).toBeCloseTo((0.7125 - 0.5) / 0.25, 12);
  });

  it('the oracle sends the strong-only wins first', () => {
    const m = oracleMetrics(items);
    expect(m.cpt80).toBeCloseTo(0.2, 12);
    expect(m.apgr).toBeGreaterThan(routerMetrics(items).apgr);
  });

  it('prices a premium share with the strong and weak prices', () => {
    expect(dollarSaving(0.2, 24.7, 0.24)).toBeCloseTo(1 - (0.2 * 24.7 + 0.8 * 0.24) / 24.7, 12);
    expect(dollarSaving(1, 10, 1)).toBe(0);
  });

  it('gives a bootstrap interval around the APGR, the same for the same seed', () => {
    const many = Array.from({ length: 400 }, (_, i) => ({ score: i % 7, weak: i % 3 === 0 ? 0 : 1, strong: i % 5 === 0 ? 0 : 1 }));
    const [low, high] = apgrInterval(many);
    expect(low).toBeLessThanOrEqual(routerMetrics(many).apgr);
    expect(high).toBeGreaterThanOrEqual(routerMetrics(many).apgr);
    expect(apgrInterval(many)).toEqual([low, high]);
  });
});

describe('auroc', () => {
  it('is the share of positive/negative pairs ordered right, ties counting half', () => {
    expect(auroc([3, 4], [1, 2])).toBe(1);
    expect(auroc([1, 2], [3, 4])).toBe(0);
    expect(auroc([2, 5], [1, 2])).toBeCloseTo((1 + 0.5 + 1 + 1) / 4, 12);
  });
});

describe('spearman', () => {
  it('is 1 for any increasing relation, -1 for a decreasing one, and handles ties', () => {
    expect(spearman([1, 2, 3, 4], [10, 100, 1000, 10000])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
    // Ranks x: 1.5 1.5 3 4 (0-based 0.5 0.5 2 3); y: 0 1 2 3 → r = 4.5 / sqrt(4.5 × 5)
    expect(spearman([5, 5, 6, 7], [1, 2, 3, 4])).toBeCloseTo(4.5 / Math.sqrt(4.5 * 5), 12);
  });
});
