import { describe, expect, it } from 'vitest';
import { failureProbability, fitRasch } from './irt.ts';
import { seededRandom } from './train-logistic.ts';

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe('fitRasch', () => {
  it('recovers the order of item difficulties and model abilities from simulated responses', () => {
    const random = seededRandom(7);
    const abilities = Array.from({ length: 20 }, (_, m) => -2 + (4 * m) / 19);
    const difficulties = Array.from({ length: 300 }, () => -2.5 + 5 * random());
    const responses = difficulties.map((b) => abilities.map((t) => (random() < sigmoid(t - b) ? 1 : 0)));
    const fit = fitRasch(responses, abilities.length);
    const pearson = (a: ArrayLike<number>, b: ArrayLike<number>) => {
      const n = a.length;
      let ma = 0, mb = 0;
      for (let i = 0; i < n; i++) {
        ma += a[i]! / n;
        mb += b[i]! / n;
      }
      let sab = 0, saa = 0, sbb = 0;
      for (let i = 0; i < n; i++) {
        sab += (a[i]! - ma) * (b[i]! - mb);
        saa += (a[i]! - ma) ** 2;
        sbb += (b[i]! - mb) ** 2;
      }
      return sab / Math.sqrt(saa * sbb);
    };
    expect(pearson(fit.difficulty, difficulties)).toBeGreaterThan(0.85);
    expect(pearson(fit.ability, abilities)).toBeGreaterThan(0.95);
  });

  it('keeps items every model got right or wrong finite (the prior), and skips missing responses', () => {
    const fit = fitRasch([[1, 1, 1], [0, 0, 0], [1, null, 0], [null, null, null]], 3);
    for (const b of fit.difficulty) expect(Number.isFinite(b)).toBe(true);
    expect(fit.difficulty[0]!).toBeLessThan(fit.difficulty[2]!);
    expect(fit.difficulty[2]!).toBeLessThan(fit.difficulty[1]!);
    expect(fit.difficulty[3]).toBe(0);
  });

  it('is deterministic', () => {
    const responses = [[1, 0, 1], [0, 0, 1], [1, 1, 1]];
    expect([...fitRasch(responses, 3).difficulty]).toEqual([...fitRasch(responses, 3).difficulty]);
  });
});

describe('failureProbability', () => {
  it('is σ(difficulty − mean ability of the reference models)', () => {
    const fit = { difficulty: Float64Array.from([0, 1]), ability: Float64Array.from([-1, 1, 3]) };
    const p = failureProbability(fit, [0, 1]);
    expect(p[0]).toBeCloseTo(0.5, 12);
    expect(p[1]).toBeCloseTo(sigmoid(1), 12);
  });
});
