import { decodeChatRequest, parseJsonObject, validateChatRequest } from '../dialects/openai-chat/index.ts';
import { applyPrivacy } from './apply-privacy.ts';
import { applyVeil } from './apply-veil.ts';
import { authenticate } from './authenticate.ts';
import type { Call } from './call.ts';
import { checkRateLimits } from './check-rate-limits.ts';
import { forwardWithFallbacks } from './forward-with-fallbacks.ts';
import { readBody } from './read-body.ts';
import { countOnce } from './prompt-tokens.ts';
import { reserveBudget } from './reserve-budget.ts';
import { planRoute } from './plan-route.ts';
import { estimateInputTokens } from '../tokens/index.ts';

/**
 * POST /v1/chat/completions. The stages run in this order (docs/architecture.md):
 * authenticate → read body → decode (parse once, validate, canonical) → veil → privacy → plan the
 * route → rate limits → budget → per attempt: plan edits or translate → capacity → relay upstream,
 * falling back on failure → record (in the server, when the response closes).
 */
export async function handleChatCompletions(call: Call): Promise<void> {
  await authenticate(call);
  const body = await readBody(call);
  const wire = parseJsonObject(body);
  const request = decodeChatRequest(validateChatRequest(wire));
  call.stream = request.stream;
  applyVeil(call, request, wire);
  applyPrivacy(call, request);
  const promptTokens = countOnce(() => estimateInputTokens(request));
  const plan = planRoute(call, request, wire);
  const first = plan.candidates[0]!;
  await checkRateLimits(call, first, promptTokens, request.options.maxOutputTokens);
  await reserveBudget(call, plan.candidates, promptTokens, request.options.maxOutputTokens);
  await forwardWithFallbacks(call, plan, request, wire, body);
}
