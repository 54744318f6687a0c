import { describe, expect, it } from 'vitest';
import { countOnce } from './prompt-tokens.ts';

describe('countOnce', () => {
  it('counts on first ask only, and not at all when nobody asks', async () => {
    let counts = 0;
    const count = countOnce(async () => ++counts * 100);
    expect(counts).toBe(0);
    expect(await Promise.all([count(), count()])).toEqual([100, 100]);
    expect(await count()).toBe(100);
    expect(counts).toBe(1);
  });
});
