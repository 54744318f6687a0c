import type { CanonicalRequest } from '../canonical/index.ts';
import { estimateInputTokens } from '../tokens/index.ts';
import { applyPrivacy } from './apply-privacy.ts';
import { applyVeil } from './apply-veil.ts';
import type { Call } from './call.ts';
import { checkRateLimits } from './check-rate-limits.ts';
import { forwardWithFallbacks } from './forward-with-fallbacks.ts';
import { planRoute } from './plan-route.ts';
import { countOnce } from './prompt-tokens.ts';
import { reserveBudget } from './reserve-budget.ts';

/**
 * The stages after decoding, the same for every chat API (docs/architecture.md): veil → privacy →
 * plan the route → rate limits → budget → attempts with fallbacks. `wire` and `body` are the client's
 * parsed and raw body, for passthrough.
 */
export async function serveChat(call: Call, request: CanonicalRequest, wire: Record<string, unknown>, body: Buffer): Promise<void> {
  call.stream = request.stream;
  applyVeil(call, request, wire);
  applyPrivacy(call, request);
  const promptTokens = countOnce(() => estimateInputTokens(request));
  const plan = planRoute(call, request, wire);
  await checkRateLimits(call, plan.candidates[0]!, promptTokens, request.options.maxOutputTokens);
  await reserveBudget(call, plan.candidates, promptTokens, request.options.maxOutputTokens);
  await forwardWithFallbacks(call, plan, request, wire, body);
}
