import { describe, expect, it } from 'vitest';
import type { CanonicalOptions } from '../../canonical/index.ts';
import { MoatError } from '../../errors/index.ts';
import { DEFAULT_MAX_TOKENS, EFFORT_BUDGETS, planThinking } from './plan-thinking.ts';

function refusal(options: CanonicalOptions): MoatError {
  try {
    planThinking(options);
  } catch (error) {
    if (error instanceof MoatError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('planThinking', () => {
  it('maps each reasoning effort to a budget, with room for the answer', () => {
    const plans = Object.fromEntries(Object.keys(EFFORT_BUDGETS).map((effort) => [effort, planThinking({ reasoning: { effort } })]));
    expect(plans).toEqual({
      none: { maxTokens: 4096, budgetTokens: null },
      minimal: { maxTokens: 1024 + 4096, budgetTokens: 1024 },
      low: { maxTokens: 2048 + 4096, budgetTokens: 2048 },
      medium: { maxTokens: 8192 + 4096, budgetTokens: 8192 },
      high: { maxTokens: 24576 + 4096, budgetTokens: 24576 },
      xhigh: { maxTokens: 32768 + 4096, budgetTokens: 32768 },
      max: { maxTokens: 32768 + 4096, budgetTokens: 32768 },
    });
    expect(DEFAULT_MAX_TOKENS).toBe(4096);
  });

  it('uses the default max_tokens and no thinking when nothing is asked', () => {
    expect(planThinking({})).toEqual({ maxTokens: 4096, budgetTokens: null });
    expect(planThinking({ maxOutputTokens: 10 })).toEqual({ maxTokens: 10, budgetTokens: null });
  });

  it('turns thinking off when reasoning is disabled, whatever the budget', () => {
    expect(planThinking({ reasoning: { enabled: false, budgetTokens: 5000, effort: 'high' } })).toEqual({ maxTokens: 4096, budgetTokens: null });
  });

  it('prefers an explicit budget over an effort', () => {
    expect(planThinking({ maxOutputTokens: 20000, reasoning: { budgetTokens: 3000, effort: 'high' } })).toEqual({ maxTokens: 20000, budgetTokens: 3000 });
  });

  it("keeps the client's max_tokens and lowers the budget below it", () => {
    expect(planThinking({ maxOutputTokens: 8192, reasoning: { effort: 'medium' } })).toEqual({ maxTokens: 8192, budgetTokens: 8191 });
    expect(planThinking({ maxOutputTokens: 1025, reasoning: { effort: 'high' } })).toEqual({ maxTokens: 1025, budgetTokens: 1024 });
    expect(planThinking({ maxOutputTokens: 8193, reasoning: { effort: 'medium' } })).toEqual({ maxTokens: 8193, budgetTokens: 8192 });
  });

  it('refuses a max_tokens that leaves less than 1024 for thinking', () => {
    const error = refusal({ maxOutputTokens: 1024, reasoning: { effort: 'minimal' } });
    expect([error.code, error.param]).toEqual(['unsupported_parameter', 'reasoning_effort']);
    expect(error.message).toContain('1024');
    expect(refusal({ maxOutputTokens: 4096, reasoning: { budgetTokens: 500 } }).param).toBe('thinking.budget_tokens');
  });

  it('refuses an effort it has no budget for', () => {
    const error = refusal({ reasoning: { effort: 'extreme' } });
    expect([error.code, error.param]).toEqual(['unsupported_parameter', 'reasoning_effort']);
    expect(refusal({ reasoning: { effort: 'toString' } }).code).toBe('unsupported_parameter');
  });
});
