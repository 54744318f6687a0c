export { ERROR_CATALOGUE, MoatError, toMoatError } from './errors.ts';
export type { ErrorCode, ErrorSpec, ErrorType, MoatErrorOptions } from './errors.ts';
export { formatParam } from './format-param.ts';
