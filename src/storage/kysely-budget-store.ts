import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type {
  Budget,
  BudgetScope,
  BudgetStore,
  BudgetUsage,
  Charge,
  ChargeResult,
  ExpiredHold,
  HoldRequest,
  NewBudget,
  ReserveResult,
} from './budget-store.ts';
import { toBigInt, toNumber } from './column-values.ts';
import type { BudgetsTable, MoatDatabase } from './schema/database.ts';
import type { EpochMs } from './tenant-store.ts';

/** Thrown inside a reservation's transaction to roll it back; never leaves this file. */
class OverBudget extends Error {
  readonly budgetId: string;
  readonly usage: BudgetUsage;
  constructor(budgetId: string, usage: BudgetUsage) {
    super(`budget ${budgetId} exhausted`);
    this.budgetId = budgetId;
    this.usage = usage;
  }
}

const ZERO: BudgetUsage = { spentMicros: 0n, reservedMicros: 0n };

/** In budget id order, so concurrent transactions lock counter rows in one order and never deadlock. */
const byBudgetId = <T extends { budgetId: string }>(items: readonly T[]): T[] => [...items].sort((a, b) => (a.budgetId < b.budgetId ? -1 : a.budgetId > b.budgetId ? 1 : 0));

export class KyselyBudgetStore implements BudgetStore {
  readonly #db: Kysely<MoatDatabase>;
  readonly #clock: () => EpochMs;

  constructor(db: Kysely<MoatDatabase>, clock: () => EpochMs) {
    this.#db = db;
    this.#clock = clock;
  }

  async create(input: NewBudget): Promise<Budget> {
    const budget: Budget = {
      id: input.id ?? randomUUID(),
      scope: input.scope,
      scopeId: input.scopeId,
      period: input.period,
      limitMicros: input.limitMicros,
      mode: input.mode,
      name: input.name ?? null,
      createdAt: this.#clock(),
    };
    await this.#db
      .insertInto('budgets')
      .values({
        id: budget.id,
        scope: budget.scope,
        scope_id: budget.scopeId,
        period: budget.period,
        limit_micros: budget.limitMicros,
        mode: budget.mode,
        name: budget.name,
        created_at: budget.createdAt,
      })
      .execute();
    return budget;
  }

  async get(id: string): Promise<Budget | undefined> {
    const row = await this.#db.selectFrom('budgets').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toBudget(row);
  }

  async list(filter?: { scope: BudgetScope; scopeId: string }): Promise<Budget[]> {
    let query = this.#db.selectFrom('budgets').selectAll();
    if (filter) query = query.where('scope', '=', filter.scope).where('scope_id', '=', filter.scopeId);
    const rows = await query.orderBy('created_at').orderBy('id').execute();
    return rows.map(toBudget);
  }

  async delete(id: string): Promise<boolean> {
    return this.#db.transaction().execute(async (trx) => {
      await trx.deleteFrom('budget_holds').where('budget_id', '=', id).execute();
      await trx.deleteFrom('budget_usage').where('budget_id', '=', id).execute();
      const result = await trx.deleteFrom('budgets').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    });
  }

  async usage(budgetId: string, periodStart: EpochMs): Promise<BudgetUsage> {
    return readUsage(this.#db, budgetId, periodStart);
  }

  async reserve(requestId: string, holds: readonly HoldRequest[], expiresAt: EpochMs): Promise<ReserveResult> {
    if (holds.length === 0) return { ok: true };
    try {
      await this.#db.transaction().execute(async (trx) => {
        for (const hold of byBudgetId(holds)) {
          await ensureUsageRow(trx, hold.budgetId, hold.periodStart);
          // One conditional UPDATE: PostgreSQL re-checks the condition under the row lock, SQLite runs
          // it under its write lock, so concurrent reservations can never pass the limit together.
          const updated = await trx
            .updateTable('budget_usage')
            .set({ reserved_micros: sql<bigint>`${sql.ref('reserved_micros')} + ${hold.amountMicros}` })
            .where('budget_id', '=', hold.budgetId)
            .where('period_start', '=', hold.periodStart)
            .where((eb) => eb(eb(eb.ref('spent_micros'), '+', eb.ref('reserved_micros')), '+', hold.amountMicros), '<=', hold.limitMicros)
            .executeTakeFirst();
          if (updated.numUpdatedRows === 0n) throw new OverBudget(hold.budgetId, await readUsage(trx, hold.budgetId, hold.periodStart));
          await trx
            .insertInto('budget_holds')
            .values({ request_id: requestId, budget_id: hold.budgetId, period_start: hold.periodStart, amount_micros: hold.amountMicros, state: 'reserved', expires_at: expiresAt })
            .execute();
        }
      });
      return { ok: true };
    } catch (error) {
      if (error instanceof OverBudget) return { ok: false, budgetId: error.budgetId, usage: error.usage };
      throw error;
    }
  }

  async settle(requestId: string, charges: readonly Charge[]): Promise<ChargeResult[]> {
    if (charges.length === 0) return [];
    const now = this.#clock();
    return this.#db.transaction().execute(async (trx) => {
      const results: ChargeResult[] = [];
      for (const charge of byBudgetId(charges)) {
        const released = await trx
          .deleteFrom('budget_holds')
          .where('request_id', '=', requestId)
          .where('budget_id', '=', charge.budgetId)
          .where('state', '=', 'reserved')
          .returning(['amount_micros', 'period_start'])
          .executeTakeFirst();
        // The reservation's period wins: a request that crossed midnight is charged to the day it began.
        const periodStart = released ? toNumber(released.period_start) : charge.periodStart;
        const inserted = await trx
          .insertInto('budget_holds')
          .values({ request_id: requestId, budget_id: charge.budgetId, period_start: periodStart, amount_micros: charge.amountMicros, state: 'charged', expires_at: now })
          .onConflict((oc) => oc.columns(['request_id', 'budget_id']).doNothing())
          .executeTakeFirst();
        const charged = (inserted.numInsertedOrUpdatedRows ?? 0n) > 0n;
        const release = released ? toBigInt(released.amount_micros) : 0n;
        await ensureUsageRow(trx, charge.budgetId, periodStart);
        if (release !== 0n || charged) {
          await trx
            .updateTable('budget_usage')
            .set({
              reserved_micros: sql<bigint>`${sql.ref('reserved_micros')} - ${release}`,
              spent_micros: sql<bigint>`${sql.ref('spent_micros')} + ${charged ? charge.amountMicros : 0n}`,
            })
            .where('budget_id', '=', charge.budgetId)
            .where('period_start', '=', periodStart)
            .execute();
        }
        const usage = await readUsage(trx, charge.budgetId, periodStart);
        results.push({ budgetId: charge.budgetId, charged, spentMicros: usage.spentMicros });
      }
      return results;
    });
  }

  async expiredHolds(now: EpochMs, limit: number): Promise<ExpiredHold[]> {
    const rows = await this.#db
      .selectFrom('budget_holds')
      .select(['request_id', 'budget_id', 'period_start', 'amount_micros'])
      .where('state', '=', 'reserved')
      .where('expires_at', '<', now)
      .orderBy('expires_at')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ requestId: r.request_id, budgetId: r.budget_id, periodStart: toNumber(r.period_start), amountMicros: toBigInt(r.amount_micros) }));
  }

  async releaseHold(hold: ExpiredHold): Promise<boolean> {
    return this.#db.transaction().execute(async (trx) => {
      const released = await trx
        .deleteFrom('budget_holds')
        .where('request_id', '=', hold.requestId)
        .where('budget_id', '=', hold.budgetId)
        .where('state', '=', 'reserved')
        .returning(['amount_micros'])
        .executeTakeFirst();
      if (!released) return false;
      await trx
        .updateTable('budget_usage')
        .set({ reserved_micros: sql<bigint>`${sql.ref('reserved_micros')} - ${toBigInt(released.amount_micros)}` })
        .where('budget_id', '=', hold.budgetId)
        .where('period_start', '=', hold.periodStart)
        .execute();
      return true;
    });
  }

  async pruneCharges(before: EpochMs): Promise<number> {
    const result = await this.#db.deleteFrom('budget_holds').where('state', '=', 'charged').where('expires_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

async function ensureUsageRow(db: Kysely<MoatDatabase> | Transaction<MoatDatabase>, budgetId: string, periodStart: EpochMs): Promise<void> {
  await db
    .insertInto('budget_usage')
    .values({ budget_id: budgetId, period_start: periodStart, spent_micros: 0n, reserved_micros: 0n })
    .onConflict((oc) => oc.columns(['budget_id', 'period_start']).doNothing())
    .execute();
}

async function readUsage(db: Kysely<MoatDatabase> | Transaction<MoatDatabase>, budgetId: string, periodStart: EpochMs): Promise<BudgetUsage> {
  const row = await db
    .selectFrom('budget_usage')
    .select(['spent_micros', 'reserved_micros'])
    .where('budget_id', '=', budgetId)
    .where('period_start', '=', periodStart)
    .executeTakeFirst();
  return row ? { spentMicros: toBigInt(row.spent_micros), reservedMicros: toBigInt(row.reserved_micros) } : ZERO;
}

function toBudget(row: Selectable<BudgetsTable>): Budget {
  return {
    id: row.id,
    scope: row.scope as BudgetScope,
    scopeId: row.scope_id,
    period: row.period as Budget['period'],
    limitMicros: toBigInt(row.limit_micros),
    mode: row.mode as Budget['mode'],
    name: row.name,
    createdAt: toNumber(row.created_at),
  };
}
