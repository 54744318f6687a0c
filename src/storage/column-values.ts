/**
 * Drivers return integers differently: node:sqlite (readBigInts on) gives bigint for every INTEGER,
 * postgres.js gives bigint for int8, number for int4 and a string for numeric (what `sum(bigint)`
 * yields). Stores read every integer through these, so callers see one representation on every
 * backend: `bigint` for money, `number` for counts and times.
 */
export type DbInteger = bigint | number | string;

export function toBigInt(value: DbInteger): bigint {
  return typeof value === 'bigint' ? value : BigInt(value);
}

/** A count or time as a number; refuses (never rounds) one that a number cannot hold exactly. */
export function toNumber(value: DbInteger): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`integer ${String(value)} does not fit a JavaScript number exactly`);
  return n;
}

export function toNumberOrNull(value: DbInteger | null): number | null {
  return value === null ? null : toNumber(value);
}

/** JSON columns are text on both backends; `null` stays SQL NULL. */
export function toJsonText(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

export function fromJsonText<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}
