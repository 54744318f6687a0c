import type { MoatError } from '../../errors/index.ts';

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
      code: error.upstreamCode ?? error.code,
      moat_code: error.code,
      request_id: requestId,
    },
  });
}
