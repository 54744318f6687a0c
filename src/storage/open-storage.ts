import type { Kysely } from 'kysely';
import type { BudgetStore } from './budget-store.ts';
import type { CredentialStore } from './credential-store.ts';
import type { KeyStore } from './key-store.ts';
import { KyselyBudgetStore } from './kysely-budget-store.ts';
import { KyselyCredentialStore } from './kysely-credential-store.ts';
import { KyselyKeyStore } from './kysely-key-store.ts';
import { KyselyLedgerStore } from './kysely-ledger-store.ts';
import { KyselyTenantStore } from './kysely-tenant-store.ts';
import type { LedgerStore } from './ledger-store.ts';
import { openPostgres } from './postgres/open-postgres.ts';
import type { MoatDatabase } from './schema/database.ts';
import { migrateToLatest } from './schema/migrate-to-latest.ts';
import { openSqlite } from './sqlite/open-sqlite.ts';
import type { EpochMs, TenantStore } from './tenant-store.ts';

export const DEFAULT_SQLITE_PATH = '.moat/moat.db';

export interface StorageOptions {
  /** `postgres://` or `postgresql://` selects PostgreSQL; without it, the embedded SQLite database. */
  url?: string;
  /** SQLite file, default `.moat/moat.db` (relative to the working directory); `:memory:` for tests. */
  path?: string;
  /** PostgreSQL only: the schema to use, as the connections' `search_path`. */
  schema?: string;
  /** PostgreSQL only: pool size, default 10. */
  maxConnections?: number;
  /** Where `createdAt`, `revokedAt` and `updatedAt` come from; default `Date.now`. */
  clock?: () => EpochMs;
}

export interface Storage {
  readonly backend: 'sqlite' | 'postgres';
  readonly db: Kysely<MoatDatabase>;
  readonly tenants: TenantStore;
  readonly keys: KeyStore;
  readonly ledger: LedgerStore;
  readonly credentials: CredentialStore;
  readonly budgets: BudgetStore;
  /** Applies pending migrations; returns their names (none when the schema is current). */
  migrate(): Promise<string[]>;
  close(): Promise<void>;
}

/** Opens the embedded database or PostgreSQL; call `migrate()` before first use. */
export function openStorage(options: StorageOptions = {}): Storage {
  const backend = selectBackend(options.url);
  const db =
    backend === 'postgres'
      ? openPostgres({ url: options.url!, ...(options.schema ? { schema: options.schema } : {}), ...(options.maxConnections ? { maxConnections: options.maxConnections } : {}) })
      : openSqlite(options.path ?? DEFAULT_SQLITE_PATH);
  const clock = options.clock ?? Date.now;
  return {
    backend,
    db,
    tenants: new KyselyTenantStore(db, clock),
    keys: new KyselyKeyStore(db, clock),
    ledger: new KyselyLedgerStore(db),
    credentials: new KyselyCredentialStore(db, clock),
    budgets: new KyselyBudgetStore(db, clock),
    migrate: () => migrateToLatest(db),
    close: () => db.destroy(),
  };
}

function selectBackend(url: string | undefined): Storage['backend'] {
  if (url === undefined || url === '') return 'sqlite';
  if (/^postgres(ql)?:\/\//i.test(url)) return 'postgres';
  throw new Error(`storage: unsupported database URL scheme in "${url.replace(/\/\/[^@/]*@/, '//…@')}"; use postgres://… for PostgreSQL, or no URL for the embedded database`);
}
