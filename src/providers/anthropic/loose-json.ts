/** Loose readers for upstream JSON: unknown fields are ignored, wrong types read as absent. */
export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A finite number, or 0. */
export const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** A string, or ''. */
export const str = (v: unknown): string => (typeof v === 'string' ? v : '');
