import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Savings (issue 7, docs/router.md): what a request's usage would have cost on the configured premium
 * baseline model (`savings.baseline`), beside what it cost. Null when no baseline is configured or the
 * baseline has no price; rows written before this migration stay null.
 */
export const savingsSchema: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('usage_ledger').addColumn('baseline_cost_micros', 'bigint').execute();
  },
};
