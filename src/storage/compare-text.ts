/**
 * Orders strings by UTF-16 code unit, as SQLite's default BINARY collation does. Stores sort in
 * JavaScript with this instead of ORDER BY on text, which PostgreSQL orders by the database's locale.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
