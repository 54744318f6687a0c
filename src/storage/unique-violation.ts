/** SQLite's extended result codes for a broken UNIQUE or PRIMARY KEY constraint. */
const SQLITE_CONSTRAINT_UNIQUE = 2067;
const SQLITE_CONSTRAINT_PRIMARYKEY = 1555;
/** PostgreSQL's SQLSTATE unique_violation. */
const PG_UNIQUE_VIOLATION = '23505';

/**
 * Whether a store call failed because a unique value (a tenant name, a key hash, an id) is taken,
 * on either backend, judged by the drivers' structured codes rather than message text.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { errcode, code } = error as { errcode?: unknown; code?: unknown };
  return errcode === SQLITE_CONSTRAINT_UNIQUE || errcode === SQLITE_CONSTRAINT_PRIMARYKEY || code === PG_UNIQUE_VIOLATION;
}
