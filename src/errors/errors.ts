/**
 * Every error Moat can answer with, in one place. Each has a stable `code` (what clients and
 * docs/errors.md key on), an HTTP `status`, and a `type` from OpenAI's error vocabulary; dialects map
 * them to their own bodies in one function each (see src/dialects/*\/error-body.ts).
 */
export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'api_error'
  | 'overloaded_error'
  | 'timeout_error'
  | 'insufficient_quota'
  // OpenAI's types for its own rate-limit refusals (code `rate_limit_exceeded`): which limit was hit.
  | 'requests'
  | 'tokens';

export interface ErrorSpec {
  readonly status: number;
  readonly type: ErrorType;
  readonly description: string;
}

export const ERROR_CATALOGUE = {
  invalid_json: { status: 400, type: 'invalid_request_error', description: 'The request body is not valid JSON.' },
  invalid_request: { status: 400, type: 'invalid_request_error', description: 'A field is missing or has the wrong type or value; `param` names it.' },
  unsupported_parameter: { status: 400, type: 'invalid_request_error', description: 'The target model cannot honour an option, and ignoring it would change the answer (e.g. `logprobs`, `n`, `response_format`).' },
  body_too_large: { status: 413, type: 'invalid_request_error', description: 'The body is larger than `server.bodyLimitBytes`.' },
  model_not_found: { status: 404, type: 'not_found_error', description: 'No configured model or pattern matches the requested `model`.' },
  no_capable_target: { status: 400, type: 'invalid_request_error', description: "None of the route's targets has what the request needs (tools, images or reasoning, by their `capabilities`)." },
  context_length_exceeded: { status: 400, type: 'invalid_request_error', description: "The prompt plus `max_tokens` is longer than every target's `contextWindow`." },
  no_healthy_target: { status: 503, type: 'overloaded_error', description: "Every target of the route is unavailable: circuit breaker open, health probe failing, or paused by the upstream's `Retry-After`. Sent with `Retry-After`." },
  no_local_target: { status: 503, type: 'overloaded_error', description: 'The request must stay on the local tier (privacy policy `local-only`) and no local target of its route is available; nothing was sent to a premium target.' },
  pii_blocked: { status: 400, type: 'invalid_request_error', description: 'The privacy policy of the key or tenant (`privacy.policies`) blocks a type of personal data or secret found in the request; the message and `param` name the type, never the value.' },
  route_not_found: { status: 404, type: 'not_found_error', description: 'No such endpoint.' },
  method_not_allowed: { status: 405, type: 'invalid_request_error', description: 'The endpoint exists but not for this HTTP method.' },
  model_not_allowed: { status: 403, type: 'permission_error', description: "The key's `allowedModels` does not include the requested model." },
  missing_api_key: { status: 401, type: 'authentication_error', description: 'No key in `Authorization: Bearer …` or `x-api-key`.' },
  invalid_api_key: { status: 401, type: 'authentication_error', description: 'The key is not one Moat knows.' },
  upstream_bad_request: { status: 400, type: 'invalid_request_error', description: 'The upstream rejected the request as invalid; its message and `param` are passed on.' },
  upstream_not_found: { status: 404, type: 'not_found_error', description: 'The upstream does not know the model or resource.' },
  upstream_auth_failed: { status: 502, type: 'api_error', description: "The upstream refused Moat's provider credentials (401/403 upstream): an operator problem, not the client's key." },
  upstream_rate_limited: { status: 429, type: 'rate_limit_error', description: "The upstream rate-limited the request; its `Retry-After` is passed on." },
  upstream_overloaded: { status: 503, type: 'overloaded_error', description: 'The upstream said it is overloaded or unavailable (503/529).' },
  upstream_error: { status: 502, type: 'api_error', description: 'The upstream failed (5xx or an unexpected status).' },
  upstream_unreachable: { status: 502, type: 'api_error', description: 'Moat could not connect to the upstream, or the connection was reset.' },
  upstream_timeout: { status: 504, type: 'timeout_error', description: 'The upstream sent no response headers within `timeouts.headersMs`.' },
  upstream_idle_timeout: { status: 504, type: 'timeout_error', description: 'The upstream sent no bytes for `timeouts.idleMs` in the middle of a response.' },
  upstream_invalid_response: { status: 502, type: 'api_error', description: 'The upstream answered 2xx with a body Moat cannot read.' },
  provider_not_configured: { status: 503, type: 'api_error', description: 'The provider serving this model lacks a setting it needs (e.g. its API key environment variable is unset).' },
  admin_auth_required: { status: 401, type: 'authentication_error', description: 'An admin API request without an admin key, or with one Moat does not know.' },
  admin_forbidden: { status: 403, type: 'permission_error', description: 'A read-only admin key asked for a change.' },
  tenant_not_found: { status: 404, type: 'not_found_error', description: 'No tenant has this id or name.' },
  tenant_exists: { status: 409, type: 'invalid_request_error', description: 'A tenant with this name already exists.' },
  key_not_found: { status: 404, type: 'not_found_error', description: 'No key has this id.' },
  key_revoked: { status: 409, type: 'invalid_request_error', description: 'The key is revoked, so it cannot be rotated.' },
  credential_not_found: { status: 404, type: 'not_found_error', description: 'No provider credential is stored under this name.' },
  master_key_not_configured: { status: 503, type: 'api_error', description: 'A provider credential cannot be stored: no master key (`MOAT_MASTER_KEY`) is set on this gateway.' },
  insufficient_quota: { status: 429, type: 'insufficient_quota', description: "A hard budget of the key or its tenant has no room for this request's reserved cost (docs/budgets.md). Sent with `x-should-retry: false`: retrying will not help until the budget is raised or its period resets." },
  budget_not_found: { status: 404, type: 'not_found_error', description: 'No budget has this id.' },
  sla_upstream_not_found: { status: 404, type: 'not_found_error', description: 'No SLA figures for this upstream: it has no `slo` and no attempt in the longest window.' },
  sla_disabled: { status: 503, type: 'api_error', description: 'The SLA is not measured on this gateway (`sla.enabled: false`).' },
  rate_limit_exceeded: { status: 429, type: 'requests', description: 'A requests-per-minute limit of the key, its tenant or the model (`rateLimits.rules`) has no room (docs/ratelimits.md). Sent with `Retry-After` and `retry-after-ms`.' },
  token_rate_limit_exceeded: { status: 429, type: 'tokens', description: "A tokens-per-minute limit has no room for the request's estimate (prompt + `max_tokens`). Sent with `Retry-After`, or with `x-should-retry: false` when the estimate alone is more than the limit." },
  concurrency_limit_exceeded: { status: 429, type: 'requests', description: 'A limit of concurrent requests is full. Sent with `Retry-After: 1`.' },
  rate_limiter_unavailable: { status: 503, type: 'api_error', description: 'Redis, which keeps the rate-limit counters, did not answer and `rateLimits.redis.onOutage` is `failClosed`. Sent with `Retry-After: 1`.' },
  capacity_queue_full: { status: 503, type: 'overloaded_error', description: "Every slot of the upstream (`providers.<name>.capacity.maxInFlight`) is taken and its queue holds `queue.maxQueued` requests: the request is shed at once. Sent with `Retry-After`." },
  capacity_queue_timeout: { status: 503, type: 'overloaded_error', description: 'The request waited `providers.<name>.capacity.queue.timeoutMs` in the capacity queue without getting a slot. Sent with `Retry-After`.' },
  capacity_unavailable: { status: 503, type: 'overloaded_error', description: 'Redis, which counts the upstream\'s slots across replicas, did not answer and `capacity.redis.onError` is `closed`. Sent with `Retry-After: 1`.' },
  shutting_down: { status: 503, type: 'overloaded_error', description: 'Moat is shutting down and takes no new requests.' },
  reasoning_param_refused: { status: 400, type: 'invalid_request_error', description: "Under the reasoning veil (`reasoning: hidden` or `summary`), the request asked for something that could expose the hidden reasoning: `logprobs`, `top_logprobs`, `logit_bias`, `n` above the key's cap, a trailing assistant message (prefill), or an engine option such as `echo` or `chat_template_kwargs`; `param` names it." },
  reasoning_blob_invalid: { status: 400, type: 'invalid_request_error', description: 'An encrypted reasoning blob sent back in the history (`redacted_thinking.data` or `reasoning_details[].data` starting `moatveil1.`) was altered, or was issued to another tenant or by a gateway with another master key.' },
  internal_error: { status: 500, type: 'api_error', description: "A bug in Moat. The request id in the body finds it in the logs." },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export interface MoatErrorOptions {
  /** The request field the error is about, in `a.b[0].c` form. */
  param?: string | null;
  /** Upstream's own error code, passed through where it helps the client. */
  upstreamCode?: string | null;
  /** Seconds to send as `Retry-After`. */
  retryAfter?: string | null;
  /** False: tell SDKs not to retry (`x-should-retry: false`), e.g. an exhausted budget. */
  shouldRetry?: boolean;
  cause?: unknown;
}

export class MoatError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly type: ErrorType;
  readonly param: string | null;
  readonly upstreamCode: string | null;
  readonly retryAfter: string | null;
  readonly shouldRetry: boolean | null;

  constructor(code: ErrorCode, message: string, options: MoatErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const spec: ErrorSpec = ERROR_CATALOGUE[code];
    this.name = 'MoatError';
    this.code = code;
    this.status = spec.status;
    this.type = spec.type;
    this.param = options.param ?? null;
    this.upstreamCode = options.upstreamCode ?? null;
    this.retryAfter = options.retryAfter ?? null;
    this.shouldRetry = options.shouldRetry ?? null;
  }
}

/** Anything thrown that is not a MoatError is a bug: it becomes `internal_error` and the message is not shown. */
export function toMoatError(error: unknown): MoatError {
  if (error instanceof MoatError) return error;
  return new MoatError('internal_error', 'Internal error in Moat.', { cause: error });
}
