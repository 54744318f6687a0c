import { describe, expect, it } from 'vitest';
import { detect } from '../../privacy/index.ts';
import { PHONE_FAMILIES, phoneFormatRecall, phoneFormatSample } from './phone-formats.ts';

const rows = phoneFormatRecall(phoneFormatSample(), (text) => detect(text, ['phone']));
const total = (key: 'total' | 'found' | 'totalNoCue' | 'foundNoCue'): number => rows.reduce((n, r) => n + r[key], 0);

/** The recall claimed in docs/privacy.md for the synthetic sample of written formats. */
describe('phone detector on the synthetic sample of written formats', () => {
  it('covers every family with numbers of many countries', () => {
    expect(rows.map((r) => r.family)).toEqual([...PHONE_FAMILIES]);
    for (const r of rows) expect(r.total, r.family).toBeGreaterThan(100);
  });

  it('finds ≥ 0.98 of the numbers overall and ≥ 0.96 without a cue word, with no stray findings', () => {
    expect(total('found') / total('total')).toBeGreaterThanOrEqual(0.98);
    expect(total('foundNoCue') / total('totalNoCue')).toBeGreaterThanOrEqual(0.96);
    for (const r of rows) expect(r.stray, r.family).toBe(0);
  });

  it('finds ≥ 0.95 of every family but unseparated national numbers (≥ 0.7: most need a cue)', () => {
    for (const r of rows) expect(r.found / r.total, r.family).toBeGreaterThanOrEqual(r.family === 'national-digits' ? 0.7 : 0.95);
    for (const r of rows) if (r.family.startsWith('international') || r.family === 'e164' || r.family === 'rfc3966') expect(r.exact, r.family).toBe(r.total);
  });

  it('takes the families found through faker\'s per-locale formats (≥ 0.98 each, with or without a cue word)', () => {
    const added = ['international-off-plan', 'national-double-zero', 'national-short-last', 'national-slash-no-trunk', 'national-one-digit-group', 'wrapped-area-parens'];
    for (const family of added) {
      const r = rows.find((row) => row.family === family)!;
      expect(r.found / r.total, family).toBeGreaterThanOrEqual(0.98);
      expect(r.foundNoCue / r.totalNoCue, family).toBeGreaterThanOrEqual(0.98);
    }
  });
});
