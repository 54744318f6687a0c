import { MoatError, type ErrorCode } from '../../errors/index.ts';
import { isObject } from './loose-json.ts';

/**
 * Anthropic error responses `{type:"error", error:{type, message}}` → typed errors, by status.
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
function codeForStatus(status: number): ErrorCode {
  if (status === 400 || status === 422) return 'upstream_bad_request';
  if (status === 401 || status === 403) return 'upstream_auth_failed';
  if (status === 404) return 'upstream_not_found';
  if (status === 408) return 'upstream_timeout';
  if (status === 413) return 'body_too_large';
  if (status === 429) return 'upstream_rate_limited';
  if (status === 503 || status === 529) return 'upstream_overloaded';
  return 'upstream_error';
}

/** Codes whose upstream message and `error.type` are the client's own business. */
const KEEPS_UPSTREAM_DETAIL = new Set<ErrorCode>(['upstream_bad_request', 'upstream_not_found', 'upstream_rate_limited', 'body_too_large']);

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

export function decodeAnthropicError(
  providerName: string,
  status: number,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
): MoatError {
  const fields = readError(body);
  const code = codeForStatus(status);
  const retryAfter = typeof headers['retry-after'] === 'string' ? headers['retry-after'] : null;
  const keep = KEEPS_UPSTREAM_DETAIL.has(code);
  // For credential failures the upstream message describes Moat's provider key, which the client must not see.
  const message =
    code === 'upstream_auth_failed'
      ? `Upstream '${providerName}' refused Moat's credentials (HTTP ${status}); an operator must fix the provider key.`
      : keep
        ? (fields.message ?? `Upstream '${providerName}' answered HTTP ${status}.`)
        : `Upstream '${providerName}' failed with HTTP ${status}${fields.message ? `: ${fields.message}` : ''}`;
  return new MoatError(code, message, { upstreamCode: keep ? fields.type : null, retryAfter });
}
