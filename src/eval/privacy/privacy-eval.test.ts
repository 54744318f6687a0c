import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { benignRate, presidioScores, runPrivacyEval, secretScores, type PrivacyEvalResult } from './index.ts';

/**
 * The privacy evaluation on ../shared/data (`moat eval privacy`), asserting the targets that
 * the detectors meet on the held-out split. Without the data folder it fails, naming the folder.
 */
const DATA = process.env.MOAT_DATA_DIR ?? fileURLToPath(new URL('../../../../shared/data', import.meta.url));
let result: PrivacyEvalResult;

beforeAll(() => {
  result = runPrivacyEval(DATA, 'test');
}, 60_000);

describe('privacy evaluation (presidio test split, secretlint fixtures, benign prompts)', () => {
  it('secrets: recall ≥ 0.99 with precision ≥ 0.95 (overlap), nothing left verbatim but one', () => {
    const s = secretScores(result.secretlint);
    expect(s.recall).toBeGreaterThanOrEqual(0.99);
    expect(s.precision).toBeGreaterThanOrEqual(0.95);
    expect(result.secretlint.positivesFlagged).toBe(result.secretlint.positives);
    expect(result.secretlint.leakedValues).toBeLessThanOrEqual(1);
  });

  it('email, card, IBAN, SSN and IP: F1 ≥ 0.95 on templates never tuned on', () => {
    const scores = presidioScores(result.presidio);
    for (const type of ['email', 'card', 'iban', 'ssn', 'ip']) {
      expect(scores.get(type)!.gold, type).toBeGreaterThan(0);
      expect(scores.get(type)!.f1, type).toBeGreaterThanOrEqual(0.95);
    }
  });

  it('phone, names and addresses: below the structured target, held at their measured level (docs/privacy.md)', () => {
    const scores = presidioScores(result.presidio);
    // Measured once after the shape rule of 2026-11-25, once after its widening on the synthetic format sample
    // (phone-formats.ts; both times precision 0.938, recall 0.625, F1 0.750) and once after the widening on
    // faker's per-locale formats (scripts/phone-faker-recall.ts): precision 0.889 (16/18), recall 0.667 (16/24),
    // F1 0.762. The 0.95 target is not met.
    expect(scores.get('phone')!.precision).toBeGreaterThanOrEqual(0.88);
    expect(scores.get('phone')!.f1).toBeGreaterThanOrEqual(0.75);
    expect(scores.get('person')!.precision).toBeGreaterThanOrEqual(0.9);
    expect(scores.get('person')!.recall).toBeGreaterThanOrEqual(0.45);
    expect(scores.get('address')!.precision).toBeGreaterThanOrEqual(0.95);
    expect(scores.get('address')!.recall).toBeGreaterThanOrEqual(0.6);
  });

  it('"contains structured PII or a secret" false positives ≤ 2% on every benign set', () => {
    expect(result.benign.map((b) => b.name)).toEqual(['banking77 (test)', 'mt-bench', 'vicuna-bench', 'arena-hard v0.1', 'arena-hard v2.0']);
    for (const b of result.benign) expect(benignRate(b), b.name).toBeLessThanOrEqual(0.02);
  });
});
