import type { IncomingHttpHeaders } from 'node:http';
import type { MoatError } from '../../errors/index.ts';
import { upstreamError } from '../../upstream/index.ts';
import { isObject } from './loose-json.ts';

/**
 * Anthropic error responses `{type:"error", error:{type, message}}` → typed errors, by status
 * (`src/upstream/upstream-error.ts` maps the statuses for every provider).
 * https://docs.anthropic.com/en/api/errors
 *
 * | status  | Anthropic `error.type`                         | Moat code              |
 * |---------|------------------------------------------------|------------------------|
 * | 400/422 | invalid_request_error                          | upstream_bad_request   |
 * | 413     | request_too_large                              | body_too_large         |
 * | 401/403 | authentication_error / permission_error        | upstream_auth_failed   |
 * | 404     | not_found_error                                | upstream_not_found     |
 * | 408     | (timeout)                                      | upstream_timeout       |
 * | 429     | rate_limit_error                               | upstream_rate_limited  |
 * | 503/529 | overloaded_error                               | upstream_overloaded    |
 * | other   | api_error…                                     | upstream_error         |
 */
function readError(body: Buffer): { message: string | null; type: string | null } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return { message: null, type: null };
  }
  const error = isObject(parsed) && isObject(parsed.error) ? parsed.error : {};
  return {
    message: typeof error.message === 'string' && error.message !== '' ? error.message : null,
    type: typeof error.type === 'string' ? error.type : null,
  };
}

export function decodeAnthropicError(providerName: string, status: number, headers: IncomingHttpHeaders, body: Buffer): MoatError {
  const { message, type } = readError(body);
  return upstreamError(providerName, status, headers, { message, code: type });
}
