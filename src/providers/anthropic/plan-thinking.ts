import type { CanonicalOptions } from '../../canonical/index.ts';
import { MoatError } from '../../errors/index.ts';

/** `max_tokens` is required by Anthropic; this is sent when the client set no limit. */
export const DEFAULT_MAX_TOKENS = 4096;

/** Anthropic's smallest thinking budget. https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking */
export const MIN_THINKING_BUDGET = 1024;

/**
 * OpenAI `reasoning_effort` → Anthropic `thinking.budget_tokens` (null: thinking off). Anthropic has
 * no effort scale for `thinking: enabled`; the budgets step up from its 1024 minimum and stop at
 * 32k, past which its docs recommend batch processing.
 */
export const EFFORT_BUDGETS: Readonly<Record<string, number | null>> = {
  none: null,
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 24576,
  xhigh: 32768,
  max: 32768,
};

export interface OutputLimits {
  maxTokens: number;
  /** null: thinking off. */
  budgetTokens: number | null;
}

/**
 * `max_tokens` and the thinking budget. Anthropic needs `budget_tokens` ≥ 1024 and < `max_tokens`:
 * with no client limit, `max_tokens` is the budget plus the default answer room; with one, the
 * client's limit stands and the budget shrinks below it (with a warning), unless that leaves less than 1024.
 */
export function planThinking(options: CanonicalOptions, warnings: string[] = []): OutputLimits {
  const reasoning = options.reasoning;
  let budget: number | null = null;
  let param = 'reasoning_effort';
  if (reasoning?.enabled === false) budget = null;
  else if (reasoning?.budgetTokens !== undefined) {
    budget = reasoning.budgetTokens;
    param = 'thinking.budget_tokens';
  } else if (reasoning?.effort !== undefined) {
    if (!Object.hasOwn(EFFORT_BUDGETS, reasoning.effort)) {
      throw new MoatError('unsupported_parameter', `reasoning_effort '${reasoning.effort}' has no Anthropic equivalent; use one of ${Object.keys(EFFORT_BUDGETS).join(', ')}.`, { param });
    }
    budget = EFFORT_BUDGETS[reasoning.effort] ?? null;
  }
  if (budget === null) return { maxTokens: options.maxOutputTokens ?? DEFAULT_MAX_TOKENS, budgetTokens: null };
  // Thinking counts toward max_tokens (as reasoning counts toward OpenAI's max_completion_tokens), so
  // without a client limit the answer keeps the default room on top of the budget.
  const maxTokens = options.maxOutputTokens ?? budget + DEFAULT_MAX_TOKENS;
  if (maxTokens <= budget) {
    warnings.push(`lowered the thinking budget from ${budget} to ${maxTokens - 1} tokens: Anthropic needs it below max_tokens (${maxTokens})`);
    budget = maxTokens - 1;
  }
  if (budget < MIN_THINKING_BUDGET) {
    throw new MoatError(
      'unsupported_parameter',
      `Anthropic models think with a budget of at least ${MIN_THINKING_BUDGET} tokens below max_tokens; max_tokens ${maxTokens} leaves a budget of ${budget}. Raise max_tokens or turn reasoning off.`,
      { param },
    );
  }
  return { maxTokens, budgetTokens: budget };
}
