import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LocalSlices } from './local-slices.ts';
import { OUTCOME_CLASSES, type OutcomeClass } from './outcome-class.ts';
import { buildReport, windowLabel, windowStart } from './sla-report.ts';
import { SliceRing } from './slice-ring.ts';
import { windowFigures } from './window-figures.ts';

const outcome = fc.constantFrom(...OUTCOME_CLASSES);

describe('window figures', () => {
  it('counts every class exactly, and derives availability and error rates from the counts', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(outcome, fc.integer({ min: 0, max: 59_999 })), { maxLength: 2000 }), (samples) => {
        const ring = new SliceRing(10_000, 7);
        for (const [o, at] of samples) ring.add({ at, outcome: o, latencyMs: 10, ttftMs: null });
        const figures = windowFigures(ring.slicesBetween(0, 60_000));
        const expected = Object.fromEntries(OUTCOME_CLASSES.map((c) => [c, samples.filter(([o]) => o === c).length]));
        expect(figures.counts).toEqual(expected);
        expect(figures.requests).toBe(samples.length);
        const served = samples.length - expected.client_error!;
        expect(figures.availability).toBe(served === 0 ? null : Math.round((expected.ok! / served) * 1e6) / 1e6);
        const upstream = expected.server_error! + expected.timeout! + expected.connection!;
        expect(figures.errorRate.upstream).toBe(samples.length === 0 ? null : Math.round((upstream / samples.length) * 1e6) / 1e6);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps latency of successful attempts only', () => {
    const ring = new SliceRing(1000, 4);
    for (let i = 0; i < 10; i++) ring.add({ at: 0, outcome: 'ok', latencyMs: 100, ttftMs: 40 });
    for (let i = 0; i < 10; i++) ring.add({ at: 0, outcome: 'server_error', latencyMs: 2, ttftMs: null });
    const figures = windowFigures(ring.slicesBetween(0, 1000));
    expect(figures.latencyMs.p50).toBeCloseTo(100, -1);
    expect(figures.ttftMs.samples).toBe(10);
    expect(figures.availability).toBe(0.5);
  });
});

describe('sliding windows', () => {
  it('a window takes in the current slice and the ones before it, and forgets older ones', () => {
    const slices = new LocalSlices(10_000, 31, { shared: false });
    const add = (at: number, o: OutcomeClass): void => slices.record('up', { at, outcome: o, latencyMs: 5, ttftMs: null });
    add(1_000, 'server_error'); // slice 0
    add(55_000, 'ok'); // slice 50 000
    add(61_000, 'ok'); // slice 60 000
    add(64_000, 'timeout');
    const now = 65_000;
    expect(windowStart(now, 60_000, 10_000)).toBe(10_000);
    const report = buildReport(slices.slices(windowStart(now, 300_000, 10_000), 70_000), { now, source: 'local', sliceMs: 10_000, windowsMs: [10_000, 60_000, 300_000], slos: new Map() });
    const windows = report.upstreams[0]!.windows;
    expect(windows['10s']!.counts).toMatchObject({ ok: 1, timeout: 1, server_error: 0 });
    expect(windows['1m']!.counts).toMatchObject({ ok: 2, timeout: 1, server_error: 0 });
    expect(windows['5m']!.counts).toMatchObject({ ok: 2, timeout: 1, server_error: 1 });
  });

  it('a ring slot reused by a later slice starts empty', () => {
    const ring = new SliceRing(1000, 3);
    ring.add({ at: 500, outcome: 'ok', latencyMs: 5, ttftMs: null });
    ring.add({ at: 3500, outcome: 'timeout', latencyMs: 5, ttftMs: null }); // same slot as 500
    const all = ring.slicesBetween(0, 10_000);
    expect(all).toHaveLength(1);
    expect(windowFigures(all).counts).toMatchObject({ ok: 0, timeout: 1 });
    // A sample older than its slot's slice does not erase the newer one.
    ring.add({ at: 600, outcome: 'ok', latencyMs: 5, ttftMs: null });
    expect(windowFigures(ring.slicesBetween(0, 10_000)).counts).toMatchObject({ ok: 0, timeout: 1 });
  });

  it('names windows', () => {
    expect([60_000, 300_000, 3_600_000, 90_000, 1500].map(windowLabel)).toEqual(['1m', '5m', '1h', '90s', '1500ms']);
  });
});
