import { estimateReservation } from '../budgets/index.ts';
import type { Call, Target } from './call.ts';

/**
 * Stage 3½: before anything is dispatched, reserve the most this request may cost on the hard budgets
 * of its key and tenant (docs/budgets.md); `insufficient_quota` when one has no room. Requests with no
 * hard budget skip it without counting a token.
 */
export async function reserveBudget(call: Call, target: Target, countInputTokens: () => Promise<number>, maxOutputTokens: number | undefined): Promise<void> {
  const { budgets, key } = call;
  if (budgets === null || key === null || !budgets.hasHardBudget(key.id, key.tenantId)) return;
  const resolved = call.runtime.prices.resolve(target.provider.type, target.upstreamModel, new Date(), target.provider.name);
  const output = maxOutputTokens ?? call.runtime.config.budgets.defaultMaxOutputTokens;
  const amount = estimateReservation(resolved?.price ?? null, resolved ? await countInputTokens() : 0, output);
  await budgets.reserve(call.id, key.id, key.tenantId, amount);
}
