import type { Capability, Tier } from '../config/index.ts';
import type { ResolvedModel } from './model-table.ts';
import type { Unavailable } from './upstream-health.ts';

/** Why a target was left out before any attempt. */
export type SkipReason = 'tier' | 'capability' | 'context' | Unavailable;

export interface Skipped {
  target: ResolvedModel;
  why: SkipReason;
}

export interface CandidateFilter {
  needs: ReadonlySet<Capability>;
  requiredTier: Tier | null;
  promptTokens: () => number;
  maxOutputTokens: number | undefined;
  unavailable: (upstream: string) => Unavailable | null;
}

/** Targets that can serve the request now, in configured order, and the ones left out with why. */
export function filterCandidates(targets: readonly ResolvedModel[], filter: CandidateFilter): { usable: ResolvedModel[]; skipped: Skipped[] } {
  const usable: ResolvedModel[] = [];
  const skipped: Skipped[] = [];
  for (const target of targets) {
    const why = skipReason(target, filter);
    if (why === null) usable.push(target);
    else skipped.push({ target, why });
  }
  return { usable, skipped };
}

function skipReason(target: ResolvedModel, filter: CandidateFilter): SkipReason | null {
  const { entry } = target;
  if (filter.requiredTier !== null && entry.tier !== filter.requiredTier) return 'tier';
  const capabilities = entry.capabilities;
  if (capabilities !== undefined && [...filter.needs].some((need) => !capabilities.includes(need))) return 'capability';
  if (entry.contextWindow !== undefined && filter.promptTokens() + (filter.maxOutputTokens ?? 0) > entry.contextWindow) return 'context';
  return filter.unavailable(entry.provider);
}

/** A weighted random permutation: each next pick is proportional to `weight` among those left. */
export function weightedOrder(targets: readonly ResolvedModel[], random: () => number): ResolvedModel[] {
  // Efraimidis–Spirakis: sorting by u^(1/w) descending draws without replacement in proportion to w.
  return targets
    .map((target) => ({ target, key: random() ** (1 / target.entry.weight) }))
    .sort((a, b) => b.key - a.key)
    .map((k) => k.target);
}

/**
 * Power of two choices: draw two targets by weight and put the one with the lower latency average
 * first (one never measured counts as fastest, so it gets a first sample); the rest follow by weight.
 */
export function leastLatencyOrder(targets: readonly ResolvedModel[], latencyMs: (upstream: string) => number | null, random: () => number): ResolvedModel[] {
  const order = weightedOrder(targets, random);
  if (order.length < 2) return order;
  const [a, b] = order as [ResolvedModel, ResolvedModel];
  const latency = (t: ResolvedModel): number => latencyMs(t.entry.provider) ?? 0;
  if (latency(b) < latency(a)) {
    order[0] = b;
    order[1] = a;
  }
  return order;
}

/** Targets of the preferred tier first (in configured order), then the others. */
export function tierFirstOrder(targets: readonly ResolvedModel[], tier: Tier): ResolvedModel[] {
  return [...targets.filter((t) => t.entry.tier === tier), ...targets.filter((t) => t.entry.tier !== tier)];
}

