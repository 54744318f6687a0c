import type { BudgetPeriod, EpochMs } from '../storage/index.ts';

/** Start of the UTC calendar period holding `at`; 0 for `total`, which never resets. */
export function periodStart(period: BudgetPeriod, at: EpochMs): EpochMs {
  if (period === 'total') return 0;
  const date = new Date(at);
  return period === 'day'
    ? Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate())
    : Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

/** Start of the period after the one that begins at `start` (for display: when a budget resets). */
export function nextPeriodStart(period: BudgetPeriod, start: EpochMs): EpochMs | null {
  if (period === 'total') return null;
  const date = new Date(start);
  return period === 'day'
    ? Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1)
    : Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}
