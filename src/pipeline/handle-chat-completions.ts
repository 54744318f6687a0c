import { decodeChatRequest, parseJsonObject, validateChatRequest } from '../dialects/openai-chat/index.ts';
import { authenticate } from './authenticate.ts';
import type { Call } from './call.ts';
import { checkRateLimits } from './check-rate-limits.ts';
import { forwardChat } from './forward-chat.ts';
import { readBody } from './read-body.ts';
import { countOnce } from './prompt-tokens.ts';
import { reserveBudget } from './reserve-budget.ts';
import { resolveTarget } from './resolve-target.ts';
import { estimateInputTokens } from '../tokens/index.ts';

/**
 * POST /v1/chat/completions. The stages run in this order (docs/architecture.md):
 * authenticate → read body → decode (parse once, validate, canonical) → resolve target →
 * plan edits or translate → relay upstream → record (in the server, when the response closes).
 */
export async function handleChatCompletions(call: Call): Promise<void> {
  await authenticate(call);
  const body = await readBody(call);
  const wire = parseJsonObject(body);
  const request = decodeChatRequest(validateChatRequest(wire));
  call.stream = request.stream;
  const target = resolveTarget(call, request.model);
  const promptTokens = countOnce(() => estimateInputTokens(request));
  await checkRateLimits(call, target, promptTokens, request.options.maxOutputTokens);
  await reserveBudget(call, target, promptTokens, request.options.maxOutputTokens);
  await forwardChat(call, target, request, wire, body);
}
