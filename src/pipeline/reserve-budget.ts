import { estimateReservation, type BudgetGuard } from '../budgets/index.ts';
import type { Call, CallerKey, Target } from './call.ts';

/**
 * Stage 4½: before anything is dispatched, reserve the most this request may cost on the hard budgets
 * of its key and tenant (docs/budgets.md); `insufficient_quota` when one has no room. The most is
 * priced at the dearest of the route's targets, since a fallback may land on any of them. Requests with
 * no hard budget skip it without counting a token, and without a promise to wait for (undefined).
 */
export function reserveBudget(call: Call, targets: readonly Target[], countInputTokens: () => Promise<number>, maxOutputTokens: number | undefined): Promise<void> | undefined {
  const { budgets, key } = call;
  if (budgets === null || key === null || !budgets.hasHardBudget(key.id, key.tenantId)) return undefined;
  return reserve(call, budgets, key, targets, countInputTokens, maxOutputTokens);
}

async function reserve(call: Call, budgets: BudgetGuard, key: CallerKey, targets: readonly Target[], countInputTokens: () => Promise<number>, maxOutputTokens: number | undefined): Promise<void> {
  const now = new Date();
  const prices = targets.map((t) => call.runtime.prices.resolve(t.provider.type, t.upstreamModel, now, t.provider.name)?.price ?? null);
  const output = maxOutputTokens ?? call.runtime.config.budgets.defaultMaxOutputTokens;
  const input = prices.some((p) => p !== null) ? await countInputTokens() : 0;
  let amount = 0n;
  for (const price of prices) {
    const estimate = estimateReservation(price, input, output);
    if (estimate > amount) amount = estimate;
  }
  await budgets.reserve(call.id, key.id, key.tenantId, amount);
}
