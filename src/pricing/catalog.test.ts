import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILTIN_CATALOG, CATALOG_CHECKED_AT } from './catalog.ts';

const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?$/;

describe('the built-in catalog', () => {
  it.each(BUILTIN_CATALOG.map((e) => [`${e.providerType} ${e.model} ${e.effectiveFrom}`, e] as const))('%s is well-formed', (_name, e) => {
    for (const value of Object.values(e.price)) expect(Number.isSafeInteger(value) && value >= 0, `${value}`).toBe(true);
    expect(e.price.cachedInputPerMTok).toBeLessThanOrEqual(e.price.inputPerMTok);
    expect(e.effectiveFrom).toMatch(DATE);
    expect(Number.isNaN(Date.parse(e.effectiveFrom))).toBe(false);
    expect(e.model.slice(0, -1)).not.toContain('*');
    expect(e.source.url).toMatch(/^https:\/\//);
    expect(e.source.read).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('has one entry per provider type, model and start date', () => {
    const keys = BUILTIN_CATALOG.map((e) => `${e.providerType} ${e.model} ${Date.parse(e.effectiveFrom)}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('is listed in docs/pricing.md, with the date it was checked', () => {
    const doc = readFileSync(new URL('../../docs/pricing.md', import.meta.url), 'utf8');
    expect(doc).toContain(`Last checked: ${CATALOG_CHECKED_AT}`);
    for (const e of BUILTIN_CATALOG) expect(doc, e.model).toContain(`\`${e.model}\``);
  });
});
