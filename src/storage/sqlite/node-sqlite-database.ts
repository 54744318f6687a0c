import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Kysely prepares every query it runs; keeping the last few statements saves re-parsing hot ones. */
const STATEMENT_CACHE_SIZE = 64;

/**
 * Presents Node's built-in `node:sqlite` DatabaseSync as the better-sqlite3-shaped database that
 * Kysely's SqliteDialect drives. The differences: node:sqlite takes parameters spread rather than
 * as one array, and has no `reader` flag — a statement that returns columns is a reader.
 */
export function adaptNodeSqlite(db: DatabaseSync): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close(): void {
      cache.clear();
      db.close();
    },
    prepare(sql: string): SqliteStatement {
      let statement = cache.get(sql);
      if (statement) {
        // Refresh the entry's place: a Map iterates in insertion order, so the first key is the oldest.
        cache.delete(sql);
      } else {
        statement = adaptStatement(db.prepare(sql));
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}

function adaptStatement(statement: StatementSync): SqliteStatement {
  const args = (parameters: ReadonlyArray<unknown>): SQLInputValue[] => parameters as SQLInputValue[];
  return {
    reader: statement.columns().length > 0,
    all: (parameters) => statement.all(...args(parameters)),
    run: (parameters) => statement.run(...args(parameters)),
    iterate: (parameters) => statement.iterate(...args(parameters)) as IterableIterator<unknown>,
  };
}
