import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Kysely, SqliteDialect } from 'kysely';
import type { MoatDatabase } from '../schema/database.ts';
import { adaptNodeSqlite } from './node-sqlite-database.ts';

/** How long a write waits for another process's write lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating it and its folder if needed) the embedded database at `path`, or an in-memory one
 * for `:memory:`. Every INTEGER is read as bigint, because costs can pass 2^53 and node:sqlite throws
 * on an integer a number cannot hold; the stores turn counts back into numbers.
 */
export function openSqlite(path: string): Kysely<MoatDatabase> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new DatabaseSync(path, { readBigInts: true, timeout: BUSY_TIMEOUT_MS, enableForeignKeyConstraints: true });
  // WAL lets readers run beside the writer. synchronous=OFF: commits and checkpoints reach the OS but
  // are never fsynced, which survives a killed process (the crash test) and loses at most the
  // last commits on power loss, which is out of scope. An fsync on the event loop at each WAL
  // checkpoint cost the gateway 20–30 ms pauses under load (docs/benchmarks.md).
  database.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF;');
  return new Kysely<MoatDatabase>({ dialect: new SqliteDialect({ database: adaptNodeSqlite(database) }) });
}
