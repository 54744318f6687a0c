import type { ErrorCode, MoatError } from '../../errors/index.ts';

/**
 * Where OpenAI's own `code` for the same refusal differs from Moat's: every rate-limit refusal is
 * `rate_limit_exceeded`, its `type` saying which limit (https://platform.openai.com/docs/guides/error-codes).
 */
const OPENAI_CODE: Partial<Record<ErrorCode, string>> = {
  token_rate_limit_exceeded: 'rate_limit_exceeded',
  concurrency_limit_exceeded: 'rate_limit_exceeded',
};

/**
 * The one mapping from a typed error to OpenAI's error body
 * (https://platform.openai.com/docs/guides/error-codes). `code` is Moat's stable code, or the
 * upstream's own where it passed one on; `request_id` finds the request in Moat's logs.
 */
export function openAIErrorBody(error: MoatError, requestId: string): string {
  return JSON.stringify({
    error: {
      message: error.message,
      type: error.type,
      param: error.param,
      code: error.upstreamCode ?? OPENAI_CODE[error.code] ?? error.code,
      moat_code: error.code,
      request_id: requestId,
    },
  });
}
