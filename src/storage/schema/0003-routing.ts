import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * What routing and the request stages add to a ledger row: how many upstream attempts the request
 * took (fallbacks and retries), and tags such as `reasoning_copied` or `pii:email` (never a value).
 */
export const routingSchema: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('usage_ledger').addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(1)).execute();
    await db.schema.alterTable('usage_ledger').addColumn('flags', 'text').execute();
  },
};
