import { describe, expect, it } from 'vitest';
import { estimateReservation } from './estimate-reservation.ts';
import type { Price } from '../pricing/index.ts';

describe('estimateReservation', () => {
  const price: Price = { inputPerMTok: 2_500_000, outputPerMTok: 10_000_000, cachedInputPerMTok: 1_250_000, cacheWritePerMTok: 3_125_000 };
  it('prices the input as uncached and the whole output allowance', () => {
    // 1000 × $2.50/M + 500 × $10/M = $0.0025 + $0.005 = 7500 µUSD
    expect(estimateReservation(price, 1000, 500)).toBe(7500n);
  });
  it('reserves nothing for an unpriced model', () => {
    expect(estimateReservation(null, 1000, 500)).toBe(0n);
  });
});
