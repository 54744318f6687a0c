import { describe, expect, it } from 'vitest';
import { configSchema, type RateLimitsConfig } from '../config/index.ts';
import { RateLimitPolicy, type LimitedModel } from './rate-limit-policy.ts';

function policy(rules: unknown[]): RateLimitPolicy {
  return new RateLimitPolicy(configSchema.parse({ rateLimits: { rules } }).rateLimits as RateLimitsConfig);
}

const alice = { id: 'key-alice', tenantId: 'acme', tier: 'free' };
const bob = { id: 'key-bob', tenantId: 'acme', tier: 'pro' };
const carol = { id: 'key-carol', tenantId: 'globex', tier: 'free' };
const gpt: LimitedModel = { requested: 'gpt-4o', entryName: 'gpt-*', served: 'openai/gpt-4o' };
const mini: LimitedModel = { requested: 'gpt-4o-mini', entryName: 'gpt-*', served: 'openai/gpt-4o-mini' };
const local: LimitedModel = { requested: 'llama', entryName: 'llama', served: 'vllm/llama-3.1-8b' };

describe('RateLimitPolicy', () => {
  it('is empty without rules, and gives null where no rule matches', () => {
    expect(policy([]).empty).toBe(true);
    const p = policy([{ match: { tier: 'free' }, per: 'key', requestsPerMinute: 10 }]);
    expect(p.limitsFor(bob, gpt)).toBeNull();
    expect(p.limitsFor(alice, gpt)?.checks).toHaveLength(1);
  });

  it('matches on key, tenant, tier and model (client name or entry name, one wildcard)', () => {
    const p = policy([
      { name: 'alice', match: { key: 'key-alice' }, per: 'key', requestsPerMinute: 1 },
      { name: 'acme', match: { tenant: 'acme' }, per: 'tenant', requestsPerMinute: 2 },
      { name: 'mini', match: { model: 'gpt-4o-mini' }, per: 'global', requestsPerMinute: 3 },
      { name: 'gpts', match: { model: 'gpt-*' }, per: 'model', requestsPerMinute: 4 },
      { name: 'free-llama', match: { tier: 'free', model: 'llama' }, per: 'key', concurrent: 5 },
    ]);
    const names = (caller: typeof alice, model: LimitedModel) => p.limitsFor(caller, model)?.checks.map((c) => c.counter) ?? [];
    expect(names(alice, gpt)).toEqual(['alice:rpm:k=key-alice', 'acme:rpm:t=acme', 'gpts:rpm:m=openai/gpt-4o']);
    expect(names(bob, mini)).toEqual(['acme:rpm:t=acme', 'mini:rpm', 'gpts:rpm:m=openai/gpt-4o-mini']);
    expect(names(carol, local)).toEqual(['free-llama:con:k=key-carol']);
  });

  it('keeps one counter per combination of the `per` dimensions, and describes its scope', () => {
    const p = policy([{ name: 'pair', per: ['tenant', 'model'], requestsPerMinute: 5, tokensPerMinute: 1000, concurrent: 2 }]);
    const limits = p.limitsFor(alice, gpt)!;
    expect(limits.countsTokens).toBe(true);
    expect(limits.checks).toEqual([
      { counter: 'pair:rpm:t=acme:m=openai/gpt-4o', kind: 'requests', limit: 5, scope: "this key's tenant on model openai/gpt-4o (rule pair)" },
      { counter: 'pair:tpm:t=acme:m=openai/gpt-4o', kind: 'tokens', limit: 1000, scope: "this key's tenant on model openai/gpt-4o (rule pair)" },
      { counter: 'pair:con:t=acme:m=openai/gpt-4o', kind: 'concurrent', limit: 2, scope: "this key's tenant on model openai/gpt-4o (rule pair)" },
    ]);
    expect(p.limitsFor(bob, gpt)!.checks[0]!.counter).toBe(limits.checks[0]!.counter);
    expect(p.limitsFor(alice, mini)!.checks[0]!.counter).not.toBe(limits.checks[0]!.counter);
  });

  it('names unnamed rules by their definition, so replicas agree and an edit starts afresh', () => {
    const rule = { match: { tier: 'free' }, per: 'key', requestsPerMinute: 10 };
    const a = policy([rule]).limitsFor(alice, gpt)!.checks[0]!.counter;
    expect(policy([rule]).limitsFor(alice, gpt)!.checks[0]!.counter).toBe(a);
    expect(a).toMatch(/^r-[0-9a-f]{12}:rpm:k=key-alice$/);
    expect(policy([{ ...rule, requestsPerMinute: 11 }]).limitsFor(alice, gpt)!.checks[0]!.counter).not.toBe(a);
    // Two identical rules share a counter and count once.
    expect(policy([rule, rule]).limitsFor(alice, gpt)!.checks).toHaveLength(1);
    expect(policy([rule]).limitsFor(alice, gpt)!.countsTokens).toBe(false);
  });

  it('remembers the answer per caller and model', () => {
    const p = policy([{ per: 'key', requestsPerMinute: 10 }]);
    expect(p.limitsFor(alice, gpt)).toBe(p.limitsFor(alice, gpt));
    expect(p.limitsFor(alice, gpt)).not.toBe(p.limitsFor(bob, gpt));
  });
});

describe('rateLimits config', () => {
  const problems = (rateLimits: unknown) => configSchema.safeParse({ rateLimits }).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
  it('says how to fix a rule', () => {
    expect(problems({ rules: [{ per: 'key' }] })).toEqual(['rateLimits.rules.0: give at least one of `requestsPerMinute`, `tokensPerMinute`, `concurrent`']);
    expect(problems({ rules: [{ per: 'team', concurrent: 1 }] })[0]).toContain('must be `key`, `tenant`, `model`, `global`');
    expect(problems({ rules: [{ concurrent: 1 }] })[0]).toMatch(/^rateLimits\.rules\.0\.per/);
    expect(problems({ rules: [{ name: 'a', per: 'key', concurrent: 1 }, { name: 'a', per: 'tenant', concurrent: 1 }] })).toEqual(['rateLimits.rules: two rules have the same `name`']);
    expect(problems({ redis: { url: 'localhost:6379' } })[0]).toContain('must be a redis:// or rediss:// URL');
    expect(problems({ rules: [{ per: 'key', requestsPerMinute: 0 }] })).toHaveLength(1);
  });
});
