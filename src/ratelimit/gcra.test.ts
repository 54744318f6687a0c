import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gcraAdjust, gcraAdmit, PERIOD_MS } from './gcra.ts';

/** A counter driven by a clock the test moves. */
function counter(limit: number) {
  let tat: number | undefined;
  return {
    admit(now: number, cost = 1) {
      const outcome = gcraAdmit(tat, now, limit, cost);
      tat = outcome.tat;
      return outcome;
    },
    adjust(now: number, delta: number) {
      tat = gcraAdjust(tat, now, limit, delta);
    },
  };
}

describe('gcraAdmit', () => {
  it('lets a burst of the whole limit in, then one more per limit/period', () => {
    const c = counter(60);
    const T0 = 1_000_000;
    for (let i = 0; i < 60; i++) expect(c.admit(T0).allowed).toBe(true);
    const refused = c.admit(T0);
    expect(refused).toMatchObject({ allowed: false, remaining: 0, resetMs: 60_000, retryAfterMs: 1000 });
    expect(c.admit(T0 + 999).allowed).toBe(false);
    expect(c.admit(T0 + 1000)).toMatchObject({ allowed: true, remaining: 0, retryAfterMs: 0 });
    expect(c.admit(T0 + 1000).allowed).toBe(false);
  });

  it('reports what is left and when the bucket is full again', () => {
    const c = counter(10);
    expect(c.admit(0)).toEqual({ allowed: true, tat: 6000, remaining: 9, resetMs: 6000, retryAfterMs: 0 });
    expect(c.admit(0)).toMatchObject({ remaining: 8, resetMs: 12_000 });
    // Three seconds on, half an interval has drained: 7.5 left after this one, 7 whole.
    expect(c.admit(3000)).toMatchObject({ remaining: 7, resetMs: 15_000 });
    // Once the bucket is full again the counter means nothing.
    expect(c.admit(60_000)).toMatchObject({ remaining: 9, resetMs: 6000 });
  });

  it('admits the whole limit when limit/period is not a whole number of ms', () => {
    for (const limit of [7, 13, 33, 999, 7919]) {
      const c = counter(limit);
      let admitted = 0;
      while (c.admit(5).allowed) admitted++;
      expect(admitted, `limit ${limit}`).toBe(limit);
    }
  });

  it('charges a cost in units, and never admits a cost above the whole limit', () => {
    const c = counter(10_000);
    expect(c.admit(0, 4000)).toMatchObject({ allowed: true, remaining: 6000 });
    expect(c.admit(0, 6001)).toMatchObject({ allowed: false, remaining: 6000, retryAfterMs: 6 });
    expect(c.admit(0, 6000)).toMatchObject({ allowed: true, remaining: 0 });
    expect(gcraAdmit(undefined, 0, 10_000, 10_001).retryAfterMs).toBe(Infinity);
    expect(gcraAdmit(undefined, 0, 10_000, 10_000).allowed).toBe(true);
  });

  it('never lets more than limit + elapsed × limit/period through between two moments', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.array(fc.record({ gap: fc.integer({ min: 0, max: 5000 }), cost: fc.integer({ min: 1, max: 50 }) }), { minLength: 1, maxLength: 300 }),
        (limit, arrivals) => {
          let tat: number | undefined;
          let now = 0;
          const admitted: Array<{ at: number; cost: number }> = [];
          for (const { gap, cost } of arrivals) {
            now += gap;
            const outcome = gcraAdmit(tat, now, limit, cost);
            tat = outcome.tat;
            if (outcome.allowed) admitted.push({ at: now, cost });
          }
          for (let i = 0; i < admitted.length; i++) {
            let sum = 0;
            for (let j = i; j < admitted.length; j++) {
              sum += admitted[j]!.cost;
              const elapsed = admitted[j]!.at - admitted[i]!.at;
              expect(sum).toBeLessThanOrEqual(limit + (elapsed * limit) / PERIOD_MS + 1e-6);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('gcraAdjust', () => {
  it('charges an overrun and refunds an overestimate, never past the full limit', () => {
    const c = counter(1000);
    expect(c.admit(0, 600).remaining).toBe(400);
    c.adjust(0, -500); // reserved 600, used 100
    expect(c.admit(0, 0).remaining).toBe(900);
    c.adjust(0, 300); // a request that used 300 more than it reserved
    expect(c.admit(0, 0).remaining).toBe(600);
    c.adjust(0, -10_000);
    expect(c.admit(0, 0).remaining).toBe(1000);
  });

  it('drops the counter (undefined) when the bucket is full', () => {
    expect(gcraAdjust(undefined, 50, 10, -3)).toBeUndefined();
    expect(gcraAdjust(6050, 50, 10, -1)).toBeUndefined();
    expect(gcraAdjust(6050, 50, 10, 1)).toBe(12_050);
  });
});
