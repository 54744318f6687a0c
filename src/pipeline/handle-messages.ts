import { decodeMessagesRequest, validateMessagesRequest } from '../dialects/anthropic-messages/index.ts';
import { parseJsonObject } from '../dialects/parse-json-object.ts';
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

/** POST /v1/messages (Anthropic clients): the same stages as chat completions, in the same order. */
export async function handleMessages(call: Call): Promise<void> {
  await authenticate(call);
  const body = await readBody(call);
  const wire = parseJsonObject(body);
  const request = decodeMessagesRequest(validateMessagesRequest(wire));
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
