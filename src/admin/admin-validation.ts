import type { z } from 'zod';
import { formatParam, MoatError } from '../errors/index.ts';

export interface FieldError {
  /** The field, in `a.b[0]` form; `body` or `query` for the whole of it. */
  param: string;
  message: string;
}

/**
 * A 400 `invalid_request` that lists every field at fault, not only the first: an operator fixing an
 * admin call should see all of it at once. `param` is the first field, as in the client APIs.
 */
export class AdminValidationError extends MoatError {
  readonly fields: readonly FieldError[];

  constructor(fields: readonly FieldError[]) {
    super('invalid_request', `Invalid request: ${fields.map((f) => `'${f.param}' ${f.message}`).join('; ')}.`, { param: fields[0]?.param ?? null });
    this.fields = fields;
  }
}

/** Parses `value` with `schema` or throws an AdminValidationError naming every bad field. */
export function parseAdminInput<T>(schema: z.ZodType<T>, value: unknown, where: 'body' | 'query'): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new AdminValidationError(
    result.error.issues.map((issue) => ({
      param: formatParam(issue.path) || where,
      message: issue.code === 'invalid_type' && issue.input === undefined ? `is required (expected ${issue.expected})` : issue.message,
    })),
  );
}
