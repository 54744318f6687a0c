import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUCKETS, bucketOf, bucketValue, GAMMA, MAX_TRACKED_MS, quantileOf } from './log-histogram.ts';
import { sliceFields, sliceFromFields } from './slice-fields.ts';
import { Slice } from './slice.ts';
import { windowFigures } from './window-figures.ts';

/** The nearest-rank q-quantile of the samples: the ⌈q·n⌉-th smallest. */
function exactQuantile(samples: readonly number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
}

/** [f1, v1, f2, v2…] → [[f1, "v1"], …], as HGETALL answers. */
function chunk(flat: (string | number)[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < flat.length; i += 2) out.push([String(flat[i]), String(flat[i + 1])]);
  return out;
}

/** The tolerance: within 10 % + 2 ms of the truth. */
const within = (reported: number, truth: number): boolean => Math.abs(reported - truth) <= 0.1 * truth + 2;

const latency = fc.oneof(
  fc.double({ min: 0, max: 5, noNaN: true }),
  fc.double({ min: 0, max: 2000, noNaN: true }),
  fc.double({ min: 0, max: MAX_TRACKED_MS, noNaN: true }),
  fc.integer({ min: 0, max: 100_000 }),
);

describe('log-bucket histogram', () => {
  it('reports every value within 2.5 % (above 1 ms) or 0.5 ms (below)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: MAX_TRACKED_MS, noNaN: true }), (ms) => {
        const reported = bucketValue(bucketOf(ms));
        const bound = ms <= 1 ? 0.5 : ((GAMMA - 1) / (GAMMA + 1)) * ms * 1.0001;
        expect(Math.abs(reported - ms)).toBeLessThanOrEqual(bound);
      }),
      { numRuns: 5000 },
    );
  });

  it('is monotone, and clamps beyond the tracked range', () => {
    for (let ms = 0; ms < 100_000; ms += 7.3) expect(bucketOf(ms + 7.3)).toBeGreaterThanOrEqual(bucketOf(ms));
    expect(bucketOf(MAX_TRACKED_MS * 10)).toBe(BUCKETS - 1);
    expect(bucketOf(-5)).toBe(0);
    expect(bucketOf(Number.NaN)).toBe(0);
    expect(BUCKETS).toBeLessThan(400);
  });

  it('gives p50/p95/p99 of arbitrary samples within 10 % + 2 ms of the exact percentile', () => {
    fc.assert(
      fc.property(fc.array(latency, { minLength: 1, maxLength: 600 }), (samples) => {
        const slice = new Slice(0);
        for (const ms of samples) slice.add({ at: 0, outcome: 'ok', latencyMs: ms, ttftMs: ms / 2 });
        const figures = windowFigures([slice]);
        for (const [q, key] of [[0.5, 'p50'], [0.95, 'p95'], [0.99, 'p99']] as const) {
          const truth = exactQuantile(samples, q);
          expect(within(figures.latencyMs[key]!, truth), `${key}: ${figures.latencyMs[key]} vs ${truth}`).toBe(true);
          expect(within(figures.ttftMs[key]!, truth / 2)).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('holds when the samples are split over slices and summed', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), latency), { minLength: 1, maxLength: 400 }), (samples) => {
        const slices = Array.from({ length: 10 }, (_, i) => new Slice(i * 1000));
        for (const [i, ms] of samples) slices[i]!.add({ at: i * 1000, outcome: 'ok', latencyMs: ms, ttftMs: null });
        const figures = windowFigures(slices);
        const values = samples.map(([, ms]) => ms);
        for (const [q, key] of [[0.5, 'p50'], [0.95, 'p95'], [0.99, 'p99']] as const) expect(within(figures.latencyMs[key]!, exactQuantile(values, q))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('merging slices, or a round trip through Redis fields, changes no figure', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.constantFrom('ok', 'server_error', 'timeout') as fc.Arbitrary<'ok' | 'server_error' | 'timeout'>, latency), { maxLength: 300 }), (samples) => {
        const whole = new Slice(0);
        const [a, b] = [new Slice(0), new Slice(0)];
        for (const [left, outcome, ms] of samples) {
          const sample = { at: 0, outcome, latencyMs: ms, ttftMs: ms / 3 };
          whole.add(sample);
          (left ? a : b).add(sample);
        }
        a.merge(b);
        expect(windowFigures([a])).toEqual(windowFigures([whole]));
        expect(windowFigures([sliceFromFields(0, Object.fromEntries(chunk(sliceFields(whole))))])).toEqual(windowFigures([whole]));
      }),
      { numRuns: 200 },
    );
  });

  it('answers null for an empty histogram', () => {
    expect(quantileOf(new Uint32Array(BUCKETS), 0, 0.5)).toBeNull();
  });
});
