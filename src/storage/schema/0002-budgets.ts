import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Budgets and their counters (decision 0012). `budget_usage` holds one row per budget and period with
 * what was spent and what is reserved by requests in flight; a hard budget's check is one conditional
 * UPDATE of that row, atomic on both backends. `budget_holds` remembers, per request and budget, a
 * reservation not yet settled (`reserved`) or a charge made (`charged`), so a settlement, a sweep of
 * a crashed replica's reservations and a journal replay each charge a request once.
 */
export const budgetsSchema: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('budgets')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('scope', 'text', (c) => c.notNull().check(sql`${sql.ref('scope')} in ('key', 'tenant')`))
      .addColumn('scope_id', 'text', (c) => c.notNull())
      .addColumn('period', 'text', (c) => c.notNull().check(sql`${sql.ref('period')} in ('day', 'month', 'total')`))
      .addColumn('limit_micros', 'bigint', (c) => c.notNull())
      .addColumn('mode', 'text', (c) => c.notNull().check(sql`${sql.ref('mode')} in ('hard', 'soft')`))
      .addColumn('name', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('budgets_scope').on('budgets').columns(['scope', 'scope_id']).execute();

    await db.schema
      .createTable('budget_usage')
      .addColumn('budget_id', 'text', (c) => c.notNull())
      .addColumn('period_start', 'bigint', (c) => c.notNull())
      .addColumn('spent_micros', 'bigint', (c) => c.notNull())
      .addColumn('reserved_micros', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('budget_usage_pk', ['budget_id', 'period_start'])
      .execute();

    await db.schema
      .createTable('budget_holds')
      .addColumn('request_id', 'text', (c) => c.notNull())
      .addColumn('budget_id', 'text', (c) => c.notNull())
      .addColumn('period_start', 'bigint', (c) => c.notNull())
      .addColumn('amount_micros', 'bigint', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull().check(sql`${sql.ref('state')} in ('reserved', 'charged')`))
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('budget_holds_pk', ['request_id', 'budget_id'])
      .execute();
    await db.schema.createIndex('budget_holds_expiry').on('budget_holds').columns(['state', 'expires_at']).execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of ['budget_holds', 'budget_usage', 'budgets']) await db.schema.dropTable(table).execute();
  },
};
