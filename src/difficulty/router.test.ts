import { describe, expect, it } from 'vitest';
import type { CanonicalRequest } from '../canonical/index.ts';
import { createDifficultyRouter, loadDifficultyRouter } from './router.ts';
import { thresholdFor } from './thresholds.ts';
import { featurize } from './features.ts';
import { predict } from './train-logistic.ts';
import type { DifficultyArtifact } from './artifact.ts';

const calibration: DifficultyArtifact['calibration'] = {
  shareQuantiles: Array.from({ length: 101 }, (_, i) => 1 - i / 100),
  shareSource: 'fixture',
  qualityCurve: [
    { threshold: 1, premiumShare: 0, qualityRatio: 0.8 },
    { threshold: 0.7, premiumShare: 0.3, qualityRatio: 0.93 },
    { threshold: 0.5, premiumShare: 0.5, qualityRatio: 0.96 },
    { threshold: -1, premiumShare: 1, qualityRatio: 1 },
  ],
  qualitySource: 'fixture',
};

const request = (text: string, system?: string): CanonicalRequest =>
  ({
    model: 'auto', stream: false, includeUsage: false, options: {},
    messages: [...(system ? [{ role: 'system', parts: [{ type: 'text', text: system }] }] : []), { role: 'user', parts: [{ type: 'text', text }] }],
  }) as never;

describe('thresholdFor', () => {
  it('reads the pool quantiles for a premium share, interpolating between percentiles', () => {
    expect(thresholdFor(calibration, { premiumShare: 0.3 })).toBeCloseTo(0.7, 12);
    expect(thresholdFor(calibration, { premiumShare: 0.255 })).toBeCloseTo(0.745, 12);
    expect(thresholdFor(calibration, { premiumShare: 0 })).toBe(Number.POSITIVE_INFINITY);
    expect(thresholdFor(calibration, { premiumShare: 1 })).toBe(Number.NEGATIVE_INFINITY);
  });

  it('takes the lowest premium share whose held-out quality reaches the target', () => {
    expect(thresholdFor(calibration, { qualityTarget: 0.95 })).toBe(0.5);
    expect(thresholdFor(calibration, { qualityTarget: 0.9 })).toBe(0.7);
    expect(thresholdFor(calibration, { qualityTarget: 0.5 })).toBe(1);
    expect(thresholdFor(calibration, { qualityTarget: 1.2 })).toBe(Number.NEGATIVE_INFINITY);
  });

  it('refuses a spec with neither or both, and values out of range', () => {
    expect(() => thresholdFor(calibration, {})).toThrow(RangeError);
    expect(() => thresholdFor(calibration, { premiumShare: 0.2, qualityTarget: 0.9 })).toThrow(RangeError);
    expect(() => thresholdFor(calibration, { premiumShare: 1.5 })).toThrow(RangeError);
    expect(() => thresholdFor(calibration, { qualityTarget: 0 })).toThrow(RangeError);
  });
});

describe('the shipped router', () => {
  const router = loadDifficultyRouter();

  it('loads once, and scores a request as its prompt text', () => {
    expect(loadDifficultyRouter()).toBe(router);
    const score = router.score(request('Prove that there are infinitely many primes.', 'You are a maths tutor.'));
    expect(score).toBeGreaterThan(0);
    expect(score).toBeLessThan(1);
    expect(score).toBe(router.scoreText('You are a maths tutor.\nProve that there are infinitely many primes.', 2, true));
    expect(router.score(request('same'))).toBe(router.score(request('same')));
  });

  it('has thresholds that fall as the premium share rises', () => {
    const shares = [0.05, 0.1, 0.3, 0.5, 0.7, 0.9].map((premiumShare) => router.thresholdFor({ premiumShare }));
    for (let i = 1; i < shares.length; i++) expect(shares[i]).toBeLessThanOrEqual(shares[i - 1]!);
    const quality = [0.7, 0.8, 0.9, 0.95].map((qualityTarget) => router.thresholdFor({ qualityTarget }));
    for (let i = 1; i < quality.length; i++) expect(quality[i]).toBeLessThanOrEqual(quality[i - 1]!);
  });

  it('scores in one fused pass exactly as the trained model does on stored features', () => {
    const { artifact } = router;
    const hashed = new Float64Array(artifact.buckets);
    for (const [bucket, weight] of artifact.hashed) hashed[bucket] = weight;
    const model = { bias: artifact.bias, dense: Float64Array.from(artifact.dense), hashed };
    for (const text of ['hi', 'Prove that 17 is prime.\nThen generalise.', 'x'.repeat(9000), 'Ünïcödé wörds and 12345 numbers {code}; a/b = c']) {
      expect(router.scoreText(text, 2, true)).toBeCloseTo(predict(model, featurize(text, artifact.buckets, 2, true)), 12);
    }
  });

  it('refuses an artifact whose bucket is out of range', () => {
    expect(() => createDifficultyRouter({ ...router.artifact, hashed: [[router.artifact.buckets, 1]] })).toThrow(RangeError);
  });
});
