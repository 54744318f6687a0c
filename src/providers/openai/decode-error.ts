import { MoatError, type ErrorCode } from '../../errors/index.ts';

/**
 * Upstream error responses of OpenAI and the servers that copy its API → typed errors.
 * Shapes read: OpenAI `{error:{message,type,param,code}}`; vLLM `{object:"error",message,type,param,code}`;
 * llama.cpp `{error:{code:400,message,type}}`; Ollama `{error:{message}}` or `{error:"…"}`.
 * Statuses: https://platform.openai.com/docs/guides/error-codes
 */
interface UpstreamErrorFields {
  message: string | null;
  param: string | null;
  code: string | null;
}

function readFields(body: Buffer): UpstreamErrorFields {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return { message: null, param: null, code: null };
  }
  if (typeof parsed !== 'object' || parsed === null) return { message: null, param: null, code: null };
  const top = parsed as Record<string, unknown>;
  const inner = typeof top.error === 'object' && top.error !== null ? (top.error as Record<string, unknown>) : top;
  const message = typeof inner.message === 'string' ? inner.message : typeof top.error === 'string' ? top.error : null;
  const code = typeof inner.code === 'string' ? inner.code : null;
  const param = typeof inner.param === 'string' ? inner.param : null;
  return { message, param, code };
}

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

export function decodeOpenAIError(
  providerName: string,
  status: number,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
): MoatError {
  const fields = readFields(body);
  const code = codeForStatus(status);
  const retryAfter = typeof headers['retry-after'] === 'string' ? headers['retry-after'] : null;
  // The upstream's message is the client's best clue for its own mistakes; for credential failures it
  // describes Moat's provider key, which the client must not see.
  const message =
    code === 'upstream_auth_failed'
      ? `Upstream '${providerName}' refused Moat's credentials (HTTP ${status}); an operator must fix the provider key.`
      : code === 'upstream_bad_request' || code === 'upstream_not_found' || code === 'upstream_rate_limited' || code === 'body_too_large'
        ? fields.message ?? `Upstream '${providerName}' answered HTTP ${status}.`
        : `Upstream '${providerName}' failed with HTTP ${status}${fields.message ? `: ${fields.message}` : ''}`;
  const keepUpstreamCode = code === 'upstream_bad_request' || code === 'upstream_not_found' || code === 'upstream_rate_limited';
  return new MoatError(code, message, {
    param: fields.param,
    upstreamCode: keepUpstreamCode ? fields.code : null,
    retryAfter,
  });
}
