import type { MoatError } from '../../errors/index.ts';

/**
 * Anthropic's `error.type` for each HTTP status it documents (https://docs.anthropic.com/en/api/errors).
 * The SDK picks its error class from the status alone (400 BadRequestError, 401 AuthenticationError,
 * 403 PermissionDeniedError, 404 NotFoundError, 413 ContentTooLargeError, 429 RateLimitError,
 * 503 ServiceUnavailableError, 504 GatewayTimeoutError, 529 OverloadedError, other 5xx
 * InternalServerError), so the type only has to agree with it. Statuses the page does not list
 * (405, 502, 503, 504) keep the catalogue's type, which is already in Anthropic's vocabulary
 * (`api_error`, `overloaded_error`, `timeout_error`, `invalid_request_error`).
 */
const TYPE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

export function anthropicErrorType(error: MoatError): string {
  // An exhausted budget is a billing matter, whatever status it is sent with.
  if (error.code === 'insufficient_quota') return 'billing_error';
  return TYPE_BY_STATUS[error.status] ?? error.type;
}

function errorObject(error: MoatError, requestId: string | null) {
  return {
    type: 'error',
    error: {
      type: anthropicErrorType(error),
      message: error.message,
      // Where newer API versions put a machine-readable code (the SDK exposes it as `errorCode`): the
      // upstream's own where it passed one on, as the OpenAI body does, and Moat's stable code.
      details: { error_code: error.upstreamCode ?? error.code, moat_code: error.code },
    },
    request_id: requestId,
  };
}

/** The whole body of an error response that has not started. */
export function anthropicErrorBody(error: MoatError, requestId: string): string {
  return JSON.stringify(errorObject(error, requestId));
}

/** The `event: error` frame that ends a stream that has started. */
export function anthropicStreamErrorFrame(error: MoatError, requestId: string | null): string {
  return `event: error\ndata: ${JSON.stringify(errorObject(error, requestId))}\n\n`;
}
