import { Kysely } from 'kysely';
import { PostgresJSDialect } from 'kysely-postgres-js';
import postgres from 'postgres';
import type { MoatDatabase } from '../schema/database.ts';

export interface PostgresOptions {
  url: string;
  /** Schema to work in, set as the connections' `search_path` (tests isolate each run this way). */
  schema?: string;
  /** Pool size. */
  maxConnections?: number;
}

/**
 * A Kysely over a postgres.js pool. int8 columns are parsed to bigint (postgres.js leaves them as
 * strings by default) so money reads back as it does from SQLite.
 */
export function openPostgres(options: PostgresOptions): Kysely<MoatDatabase> {
  const client = postgres(options.url, {
    max: options.maxConnections ?? 10,
    types: { bigint: postgres.BigInt },
    // Kysely's migrator issues `create table if not exists`; its "already exists" notices are noise.
    onnotice: () => {},
    ...(options.schema ? { connection: { search_path: options.schema } } : {}),
  });
  return new Kysely<MoatDatabase>({ dialect: new PostgresJSDialect({ postgres: client }) });
}
