import type { IncomingHttpHeaders } from 'node:http';
import type { MoatError } from '../../errors/index.ts';
import { upstreamError, type UpstreamErrorFields } from '../../upstream/index.ts';

/**
 * Upstream error responses of OpenAI and the servers that copy its API → typed errors.
 * Shapes read: OpenAI `{error:{message,type,param,code}}`; vLLM `{object:"error",message,type,param,code}`;
 * llama.cpp `{error:{code:400,message,type}}`; Ollama `{error:{message}}` or `{error:"…"}`.
 * Statuses: https://platform.openai.com/docs/guides/error-codes
 */
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

export function decodeOpenAIError(providerName: string, status: number, headers: IncomingHttpHeaders, body: Buffer): MoatError {
  return upstreamError(providerName, status, headers, readFields(body));
}
