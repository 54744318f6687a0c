import { createHash } from 'node:crypto';
import type { RateLimitRuleConfig, RateLimitsConfig } from '../config/index.ts';
import type { LimitCheck, LimitKind } from './rate-limit-store.ts';

/** Who is asking: the parts of a caller's key that rules match on. */
export interface Caller {
  readonly id: string;
  readonly tenantId: string;
  readonly tier: string;
}

/** Where the request goes: the name the client sent, the config entry it matched, the served model. */
export interface LimitedModel {
  readonly requested: string;
  readonly entryName: string;
  /** `provider/upstream-model`: what `per: model` counts by. */
  readonly served: string;
}

/** The limits one request must fit in; null from `limitsFor` when there are none. */
export interface AppliedLimits {
  readonly checks: readonly LimitCheck[];
  /** Whether a tokens-per-minute limit applies (only then is the prompt counted). */
  readonly countsTokens: boolean;
}

type Dimension = 'key' | 'tenant' | 'model';

interface CompiledRule {
  readonly id: string;
  readonly name: string | null;
  readonly matches: (caller: Caller, model: LimitedModel) => boolean;
  readonly per: readonly Dimension[];
  readonly limits: ReadonlyArray<readonly [LimitKind, number]>;
}

/** More distinct (caller, model) pairs than this and the cache starts over. */
const MAX_CACHED = 10_000;
const KIND_TAG: Record<LimitKind, string> = { requests: 'rpm', tokens: 'tpm', concurrent: 'con' };

function globMatcher(pattern: string): (name: string) => boolean {
  const star = pattern.indexOf('*');
  if (star === -1) return (name) => name === pattern;
  const prefix = pattern.slice(0, star);
  const suffix = pattern.slice(star + 1);
  return (name) => name.length >= prefix.length + suffix.length && name.startsWith(prefix) && name.endsWith(suffix);
}

/**
 * An unnamed rule is known by a hash of its whole definition, so every replica with the same config
 * agrees on its counters' names in Redis, and editing it starts its counters afresh.
 */
function ruleId(rule: RateLimitRuleConfig): string {
  if (rule.name) return rule.name;
  return `r-${createHash('sha256').update(JSON.stringify(rule)).digest('hex').slice(0, 12)}`;
}

function compile(rule: RateLimitRuleConfig): CompiledRule {
  const { key, tenant, tier, model } = rule.match;
  const modelMatches = model === undefined ? null : globMatcher(model);
  const per: Dimension[] = rule.per === 'global' ? [] : typeof rule.per === 'string' ? [rule.per] : [...new Set(rule.per)];
  const limits: Array<[LimitKind, number]> = [];
  if (rule.requestsPerMinute !== undefined) limits.push(['requests', rule.requestsPerMinute]);
  if (rule.tokensPerMinute !== undefined) limits.push(['tokens', rule.tokensPerMinute]);
  if (rule.concurrent !== undefined) limits.push(['concurrent', rule.concurrent]);
  return {
    id: ruleId(rule),
    name: rule.name ?? null,
    per,
    limits,
    matches: (caller, m) =>
      (key === undefined || caller.id === key) &&
      (tenant === undefined || caller.tenantId === tenant) &&
      (tier === undefined || caller.tier === tier) &&
      (modelMatches === null || modelMatches(m.requested) || modelMatches(m.entryName)),
  };
}

/** "this key on model openai/gpt-4o", "this key's tenant", "all callers"… */
function describeScope(rule: CompiledRule, model: LimitedModel): string {
  const who = rule.per.includes('key') ? 'this key' : rule.per.includes('tenant') ? "this key's tenant" : 'all callers';
  const what = rule.per.includes('model') ? `${who} on model ${model.served}` : who;
  return rule.name ? `${what} (rule ${rule.name})` : what;
}

function counterName(rule: CompiledRule, kind: LimitKind, caller: Caller, model: LimitedModel): string {
  let name = `${rule.id}:${KIND_TAG[kind]}`;
  for (const dimension of rule.per) {
    name += dimension === 'key' ? `:k=${caller.id}` : dimension === 'tenant' ? `:t=${caller.tenantId}` : `:m=${model.served}`;
  }
  return name;
}

/**
 * The `rateLimits.rules` of one config, compiled once: which limits apply to a caller and model,
 * remembered per (key, model) so that a request pays one map lookup, and nothing at all when there
 * are no rules.
 */
export class RateLimitPolicy {
  readonly #rules: CompiledRule[];
  readonly #cache = new Map<string, AppliedLimits | null>();

  constructor(config: RateLimitsConfig) {
    this.#rules = config.rules.map(compile);
  }

  get empty(): boolean {
    return this.#rules.length === 0;
  }

  limitsFor(caller: Caller, model: LimitedModel): AppliedLimits | null {
    if (this.#rules.length === 0) return null;
    const cacheKey = `${caller.id}\n${caller.tenantId}\n${caller.tier}\n${model.requested}`;
    const cached = this.#cache.get(cacheKey);
    if (cached !== undefined) return cached;
    const applied = this.#resolve(caller, model);
    if (this.#cache.size >= MAX_CACHED) this.#cache.clear();
    this.#cache.set(cacheKey, applied);
    return applied;
  }

  #resolve(caller: Caller, model: LimitedModel): AppliedLimits | null {
    // Two rules that land on one counter (identical definitions) count once, at the stricter limit.
    const checks = new Map<string, LimitCheck>();
    for (const rule of this.#rules) {
      if (!rule.matches(caller, model)) continue;
      for (const [kind, limit] of rule.limits) {
        const counter = counterName(rule, kind, caller, model);
        const existing = checks.get(counter);
        if (existing === undefined || existing.limit > limit) checks.set(counter, { counter, kind, limit, scope: describeScope(rule, model) });
      }
    }
    if (checks.size === 0) return null;
    const list = [...checks.values()];
    return { checks: list, countsTokens: list.some((c) => c.kind === 'tokens') };
  }
}
