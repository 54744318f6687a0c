import { describe, expect, it } from 'vitest';
import type { ModelConfig } from '../config/index.ts';
import type { ResolvedModel } from './model-table.ts';
import { filterCandidates, leastLatencyOrder, tierFirstOrder, weightedOrder, type CandidateFilter } from './order-candidates.ts';

const target = (name: string, extra: Partial<ModelConfig> = {}): ResolvedModel => ({
  entry: { name, provider: name, reasoning: false, reasoningFormat: 'fields', unsupportedParams: [], tier: 'premium', weight: 1, ...extra },
  upstreamModel: name,
});
const filter = (extra: Partial<CandidateFilter> = {}): CandidateFilter => ({
  needs: new Set(), requiredTier: null, promptTokens: () => 100, maxOutputTokens: undefined, unavailable: () => null, ...extra,
});

/** A seeded generator (mulberry32), so the weighted draws are repeatable. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('filterCandidates', () => {
  it('leaves out targets of another tier, without a needed capability, too short, or unavailable, saying why', () => {
    const targets = [
      target('cloud'),
      target('local', { tier: 'local', capabilities: ['tools'] }),
      target('small', { tier: 'local', contextWindow: 150 }),
      target('down', { tier: 'local' }),
      target('ok', { tier: 'local' }),
    ];
    const { usable, skipped } = filterCandidates(
      targets,
      filter({ requiredTier: 'local', needs: new Set(['vision']), maxOutputTokens: 100, unavailable: (u) => (u === 'down' ? 'breaker_open' : null) }),
    );
    expect(usable.map((t) => t.entry.name)).toEqual(['ok']);
    expect(skipped.map((s) => `${s.target.entry.name}:${s.why}`)).toEqual(['cloud:tier', 'local:capability', 'small:context', 'down:breaker_open']);
  });
});

describe('weightedOrder', () => {
  it('puts each target first in proportion to its weight', () => {
    const targets = [target('a', { weight: 3 }), target('b', { weight: 1 })];
    const random = seeded(7);
    let aFirst = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) if (weightedOrder(targets, random)[0]!.entry.name === 'a') aFirst++;
    expect(aFirst / n).toBeGreaterThan(0.73);
    expect(aFirst / n).toBeLessThan(0.77);
  });
});

describe('leastLatencyOrder', () => {
  it('of the two drawn, tries the faster first, and the unmeasured before the measured', () => {
    const targets = [target('slow'), target('fast')];
    const latency = (u: string) => (u === 'slow' ? 300 : 20);
    for (let seed = 0; seed < 20; seed++) expect(leastLatencyOrder(targets, latency, seeded(seed))[0]!.entry.name).toBe('fast');
    const fresh = (u: string) => (u === 'slow' ? 300 : null);
    expect(leastLatencyOrder(targets, fresh, seeded(1))[0]!.entry.name).toBe('fast');
  });

  it('sends most traffic to the faster of several replicas but keeps sampling the others', () => {
    const targets = [target('r1'), target('r2'), target('r3')];
    const latency = (u: string) => ({ r1: 10, r2: 50, r3: 90 })[u]!;
    const random = seeded(3);
    const first = new Map<string, number>();
    for (let i = 0; i < 9000; i++) {
      const name = leastLatencyOrder(targets, latency, random)[0]!.entry.name;
      first.set(name, (first.get(name) ?? 0) + 1);
    }
    // Power of two choices of three: the fastest wins both pairs it is in (2/3), the middle one 1/3, the slowest never.
    expect(first.get('r1')! / 9000).toBeCloseTo(2 / 3, 1);
    expect(first.get('r2')! / 9000).toBeCloseTo(1 / 3, 1);
    expect(first.get('r3') ?? 0).toBe(0);
  });
});

describe('tierFirstOrder', () => {
  it('keeps configured order within each tier', () => {
    const targets = [target('p1'), target('l1', { tier: 'local' }), target('p2'), target('l2', { tier: 'local' })];
    expect(tierFirstOrder(targets, 'local').map((t) => t.entry.name)).toEqual(['l1', 'l2', 'p1', 'p2']);
  });
});
