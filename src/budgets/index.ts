export { BudgetGuard } from './budget-guard.ts';
export type { BudgetAlert, BudgetGuardOptions, SweepResult } from './budget-guard.ts';
export { BudgetRegistry } from './budget-registry.ts';
export { estimateReservation, DEFAULT_MAX_OUTPUT_TOKENS } from './estimate-reservation.ts';
export { nextPeriodStart, periodStart } from './period-start.ts';
