import type { Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import type { Migration, MigrationProvider } from 'kysely/migration';
import { initialSchema } from './0001-initial.ts';
import { budgetsSchema } from './0002-budgets.ts';
import { routingSchema } from './0003-routing.ts';
import { savingsSchema } from './0004-savings.ts';

/** Every migration, in code (no folder scan), applied in name order. Append; never edit one that shipped. */
const migrations: Record<string, Migration> = {
  '0001-initial': initialSchema,
  '0002-budgets': budgetsSchema,
  '0003-routing': routingSchema,
  '0004-savings': savingsSchema,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * Brings the schema to the latest migration and returns the names applied now (none when it was
 * already there). Kysely's migrator takes a lock, so replicas starting together apply each once.
 */
export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<string[]> {
  const { error, results = [] } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(`migration failed: ${String(error)}`);
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
