import type { IncomingHttpHeaders } from 'node:http';
import { MoatError, type ErrorCode } from '../errors/index.ts';

/** What a provider read from an upstream error body, in its own format. */
export interface UpstreamErrorFields {
  message: string | null;
  /** The upstream's own code or error type (e.g. `model_not_found`, `rate_limit_error`). */
  code: string | null;
  param?: string | null;
}

/**
 * Upstream HTTP status → Moat code, for every provider. 401/403 are Moat's own credential problem,
 * not the client's: they become a 502. Anthropic's 529 is its "overloaded".
 */
export function codeForUpstreamStatus(status: number): ErrorCode {
  if (status === 400 || status === 422) return 'upstream_bad_request';
  if (status === 401 || status === 403) return 'upstream_auth_failed';
  if (status === 404) return 'upstream_not_found';
  if (status === 408) return 'upstream_timeout';
  if (status === 413) return 'body_too_large';
  if (status === 429) return 'upstream_rate_limited';
  if (status === 503 || status === 529) return 'upstream_overloaded';
  return 'upstream_error';
}

/** Codes whose upstream message and code are the client's own business (its request, its limits). */
const KEEPS_UPSTREAM_DETAIL = new Set<ErrorCode>(['upstream_bad_request', 'upstream_not_found', 'upstream_rate_limited', 'body_too_large']);

/** An upstream error response → the typed error the client gets, whatever the provider. */
export function upstreamError(providerName: string, status: number, headers: IncomingHttpHeaders, fields: UpstreamErrorFields): MoatError {
  const code = codeForUpstreamStatus(status);
  const keep = KEEPS_UPSTREAM_DETAIL.has(code);
  const retryAfter = typeof headers['retry-after'] === 'string' ? headers['retry-after'] : null;
  // For credential failures the upstream message describes Moat's provider key, which the client must not see.
  const message =
    code === 'upstream_auth_failed'
      ? `Upstream '${providerName}' refused Moat's credentials (HTTP ${status}); an operator must fix the provider key.`
      : keep
        ? (fields.message ?? `Upstream '${providerName}' answered HTTP ${status}.`)
        : `Upstream '${providerName}' failed with HTTP ${status}${fields.message ? `: ${fields.message}` : ''}`;
  return new MoatError(code, message, {
    param: keep ? (fields.param ?? null) : null,
    upstreamCode: keep ? fields.code : null,
    retryAfter,
  });
}
