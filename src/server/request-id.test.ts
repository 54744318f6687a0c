import { describe, expect, it } from 'vitest';
import { newRequestId } from './request-id.ts';

describe('newRequestId', () => {
  it('is req_ and 32 hex digits, the first 12 the time in milliseconds', () => {
    const at = Date.UTC(2026, 10, 25, 8, 0, 0, 123);
    const id = newRequestId(at);
    expect(id).toMatch(/^req_[0-9a-f]{32}$/);
    expect(Number.parseInt(id.slice(4, 16), 16)).toBe(at);
  });

  it('sorts by time across milliseconds, so the ledger appends instead of inserting at random', () => {
    const ids = [0, 1, 2, 1000, 86_400_000].map((offset) => newRequestId(1_764_000_000_000 + offset));
    expect([...ids].sort()).toEqual(ids);
  });

  it('keeps ids of the same millisecond apart', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newRequestId(1_764_000_000_000)));
    expect(ids.size).toBe(10_000);
  });
});
