import { MoatError } from '../errors/index.ts';
import { formatUsd } from '../pricing/index.ts';
import type { Budget, BudgetStore, ChargeResult, EpochMs, LedgerRow, LedgerStore } from '../storage/index.ts';
import type { BudgetRegistry } from './budget-registry.ts';
import { periodStart } from './period-start.ts';

/** A budget's spend reached its limit with this charge (soft budgets alert; hard ones may overshoot on a low estimate). */
export interface BudgetAlert {
  budget: Budget;
  periodStart: EpochMs;
  spentMicros: bigint;
  requestId: string;
}

export interface BudgetGuardOptions {
  /** An unsettled reservation is released (or charged from the ledger) after this long. Default 10 min. */
  reservationTtlMs?: number;
  /** How often `start()` sweeps expired reservations. Default 30 s. */
  sweepIntervalMs?: number;
  /** Charge records older than this are pruned by the sweep. Default 7 days. */
  chargeRetentionMs?: number;
  clock?: () => EpochMs;
  onAlert?: (alert: BudgetAlert) => void;
  onError?: (error: unknown) => void;
}

export interface SweepResult {
  /** Reservations whose request has a ledger row: charged its cost. */
  charged: number;
  /** Reservations without a ledger row: released. */
  released: number;
}

const PERIOD_WORDS = { day: 'daily', month: 'monthly', total: 'total' } as const;

/**
 * Budgets on the request path (decision 0012): `reserve` before dispatch, a settlement from each
 * ledger row, and a sweep that settles or releases what a dead replica left reserved.
 */
export class BudgetGuard {
  readonly #store: BudgetStore;
  readonly #registry: BudgetRegistry;
  readonly #ledger: Pick<LedgerStore, 'get'>;
  readonly #ttlMs: number;
  readonly #sweepIntervalMs: number;
  readonly #chargeRetentionMs: number;
  readonly #clock: () => EpochMs;
  readonly #onAlert: (alert: BudgetAlert) => void;
  readonly #onError: (error: unknown) => void;
  readonly #pending = new Set<Promise<unknown>>();
  #timer: NodeJS.Timeout | undefined;

  constructor(store: BudgetStore, registry: BudgetRegistry, ledger: Pick<LedgerStore, 'get'>, options: BudgetGuardOptions = {}) {
    this.#store = store;
    this.#registry = registry;
    this.#ledger = ledger;
    this.#ttlMs = options.reservationTtlMs ?? 600_000;
    this.#sweepIntervalMs = options.sweepIntervalMs ?? 30_000;
    this.#chargeRetentionMs = options.chargeRetentionMs ?? 7 * 86_400_000;
    this.#clock = options.clock ?? Date.now;
    this.#onAlert = options.onAlert ?? (() => {});
    this.#onError = options.onError ?? (() => {});
  }

  /** Whether any hard budget covers this key or its tenant (only then is an estimate worth making). */
  hasHardBudget(keyId: string, tenantId: string): boolean {
    return this.#registry.forCaller(keyId, tenantId).some((b) => b.mode === 'hard');
  }

  /**
   * Reserves `amountMicros` on every hard budget of the key and its tenant, all or none; throws
   * `insufficient_quota` naming the budget that has no room.
   */
  async reserve(requestId: string, keyId: string, tenantId: string, amountMicros: bigint): Promise<void> {
    const hard = this.#registry.forCaller(keyId, tenantId).filter((b) => b.mode === 'hard');
    if (hard.length === 0) return;
    const now = this.#clock();
    const holds = hard.map((b) => ({ budgetId: b.id, periodStart: periodStart(b.period, now), amountMicros, limitMicros: b.limitMicros }));
    const result = await this.#store.reserve(requestId, holds, now + this.#ttlMs);
    if (result.ok) return;
    const budget = hard.find((b) => b.id === result.budgetId)!;
    const { spentMicros, reservedMicros } = result.usage;
    throw new MoatError(
      'insufficient_quota',
      `The ${PERIOD_WORDS[budget.period]} budget of this ${budget.scope === 'key' ? 'key' : "key's tenant"} is exhausted: ` +
        `${formatUsd(spentMicros)} spent and ${formatUsd(reservedMicros)} reserved by requests in flight of ${formatUsd(budget.limitMicros)}; ` +
        `this request reserves up to ${formatUsd(amountMicros)} (budget ${budget.id}).`,
      { shouldRetry: false },
    );
  }

  /** Charges a finished request's cost to its budgets, in the background. */
  settleRow(row: LedgerRow): void {
    if (this.#registry.forCaller(row.keyId, row.tenantId).length === 0) return;
    this.#track(this.settleRowNow(row).catch(this.#onError));
  }

  /** Charges `row.costMicros` to every budget of its key and tenant, once per request and budget. */
  async settleRowNow(row: LedgerRow): Promise<ChargeResult[]> {
    const budgets = this.#registry.forCaller(row.keyId, row.tenantId);
    if (budgets.length === 0) return [];
    const charges = budgets.map((b) => ({ budgetId: b.id, periodStart: periodStart(b.period, row.createdAt), amountMicros: row.costMicros }));
    const results = await this.#store.settle(row.requestId, charges);
    for (const result of results) {
      const budget = budgets.find((b) => b.id === result.budgetId)!;
      const before = result.spentMicros - row.costMicros;
      if (result.charged && result.spentMicros >= budget.limitMicros && before < budget.limitMicros) {
        this.#onAlert({ budget, periodStart: periodStart(budget.period, row.createdAt), spentMicros: result.spentMicros, requestId: row.requestId });
      }
    }
    return results;
  }

  /**
   * Reservations past their expiry belong to requests that never settled (their replica died, or the
   * request outlived the TTL): charged from the ledger row when there is one, released otherwise. A
   * request that settles later is still charged once (the store dedupes by request and budget).
   */
  async sweep(): Promise<SweepResult> {
    const result: SweepResult = { charged: 0, released: 0 };
    const now = this.#clock();
    for (const hold of await this.#store.expiredHolds(now, 500)) {
      const row = await this.#ledger.get(hold.requestId);
      if (row) {
        await this.#store.settle(hold.requestId, [{ budgetId: hold.budgetId, periodStart: hold.periodStart, amountMicros: row.costMicros }]);
        result.charged++;
      } else if (await this.#store.releaseHold(hold)) result.released++;
    }
    await this.#store.pruneCharges(now - this.#chargeRetentionMs);
    return result;
  }

  start(): void {
    this.#timer ??= setInterval(() => this.#track(this.sweep().catch(this.#onError)), this.#sweepIntervalMs);
    this.#timer.unref();
  }

  /** Waits for the settlements in flight (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.idle();
  }

  #track(promise: Promise<unknown>): void {
    this.#pending.add(promise);
    void promise.finally(() => this.#pending.delete(promise));
  }
}
