import type { EpochMs } from './tenant-store.ts';

export type BudgetScope = 'key' | 'tenant';
/** Calendar periods in UTC; `total` never resets. */
export type BudgetPeriod = 'day' | 'month' | 'total';
/** `hard`: requests are refused before dispatch once it would be passed. `soft`: alerts only. */
export type BudgetMode = 'hard' | 'soft';

export interface Budget {
  id: string;
  scope: BudgetScope;
  /** The key id or tenant id the budget applies to. */
  scopeId: string;
  period: BudgetPeriod;
  limitMicros: bigint;
  mode: BudgetMode;
  name: string | null;
  createdAt: EpochMs;
}

export interface NewBudget {
  id?: string;
  scope: BudgetScope;
  scopeId: string;
  period: BudgetPeriod;
  limitMicros: bigint;
  mode: BudgetMode;
  name?: string | null;
}

/** One budget's counters in one period. */
export interface BudgetUsage {
  spentMicros: bigint;
  reservedMicros: bigint;
}

/** What a request reserves on one budget before dispatch. */
export interface HoldRequest {
  budgetId: string;
  /** Start of the budget's current period (epoch ms, UTC; 0 for `total`). */
  periodStart: EpochMs;
  amountMicros: bigint;
  /** The reservation succeeds only while spent + reserved + amount stays within this. */
  limitMicros: bigint;
}

/** What a request is charged on one budget once it is over. */
export interface Charge {
  budgetId: string;
  periodStart: EpochMs;
  amountMicros: bigint;
}

export interface ChargeResult {
  budgetId: string;
  /** False when this request had already been charged on this budget (a sweep or replay did it). */
  charged: boolean;
  /** The period's spend after this charge. */
  spentMicros: bigint;
}

/** A reservation whose request never settled it: its replica may have died. */
export interface ExpiredHold {
  requestId: string;
  budgetId: string;
  periodStart: EpochMs;
  amountMicros: bigint;
}

export type ReserveResult = { ok: true } | { ok: false; budgetId: string; usage: BudgetUsage };

export interface BudgetStore {
  create(budget: NewBudget): Promise<Budget>;
  get(id: string): Promise<Budget | undefined>;
  /** Every budget, or those of one scope and id, oldest first. */
  list(filter?: { scope: BudgetScope; scopeId: string }): Promise<Budget[]>;
  /** Deletes the budget and its counters; false when there was none. */
  delete(id: string): Promise<boolean>;
  usage(budgetId: string, periodStart: EpochMs): Promise<BudgetUsage>;
  /**
   * Reserves each amount on its budget, all or none, in one transaction. Fails with the first budget
   * (in budget id order) that the amount would take past its limit.
   */
  reserve(requestId: string, holds: readonly HoldRequest[], expiresAt: EpochMs): Promise<ReserveResult>;
  /**
   * Settles a request: releases its reservations on these budgets and charges each amount, at most
   * once per request and budget whoever calls (the request itself, a sweep, a journal replay).
   */
  settle(requestId: string, charges: readonly Charge[]): Promise<ChargeResult[]>;
  /** Reservations still unsettled at `now` past their expiry. */
  expiredHolds(now: EpochMs, limit: number): Promise<ExpiredHold[]>;
  /** Releases an expired reservation without charging it; false when it was settled meanwhile. */
  releaseHold(hold: ExpiredHold): Promise<boolean>;
  /** Forgets charge records older than `before` (they only guard against late double charges). */
  pruneCharges(before: EpochMs): Promise<number>;
}
