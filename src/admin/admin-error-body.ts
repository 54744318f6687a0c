import { openAIErrorBody } from '../dialects/openai-chat/error-body.ts';
import type { MoatError } from '../errors/index.ts';
import { AdminValidationError } from './admin-validation.ts';

/**
 * The admin API is Moat's own, so its errors take the OpenAI body; a validation error adds
 * `error.fields`, every field at fault with its message.
 */
export function adminErrorBody(error: MoatError, requestId: string): string {
  const body = openAIErrorBody(error, requestId);
  if (!(error instanceof AdminValidationError)) return body;
  const parsed = JSON.parse(body) as { error: Record<string, unknown> };
  parsed.error.fields = error.fields;
  return JSON.stringify(parsed);
}
