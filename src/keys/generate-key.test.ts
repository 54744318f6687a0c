import { describe, expect, it } from 'vitest';
import { hashApiKey } from './hash-api-key.ts';
import { generateApiKey } from './generate-key.ts';

describe('generateApiKey', () => {
  it('makes moat_sk_ keys of 33 base62 characters, with their sha256 and 12-character prefix', () => {
    const { key, keyHash, keyPrefix } = generateApiKey();
    expect(key).toMatch(/^moat_sk_[0-9A-Za-z]{33}$/);
    expect(keyHash).toBe(hashApiKey(key));
    expect(keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(keyPrefix).toBe(key.slice(0, 12));
  });

  it('keeps the full length for small and large random values', () => {
    expect(generateApiKey((n) => Buffer.alloc(n, 0)).key).toBe(`moat_sk_${'0'.repeat(33)}`);
    expect(generateApiKey((n) => Buffer.alloc(n, 0xff)).key).toMatch(/^moat_sk_[0-9A-Za-z]{33}$/);
  });

  it('never repeats a key', () => {
    const keys = new Set(Array.from({ length: 10_000 }, () => generateApiKey().key));
    expect(keys.size).toBe(10_000);
  });
});
