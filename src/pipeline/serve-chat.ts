import type { CanonicalRequest } from '../canonical/index.ts';
import { applyPrivacy } from './apply-privacy.ts';
import { applyVeil } from './apply-veil.ts';
import type { Call } from './call.ts';
import { checkRateLimits } from './check-rate-limits.ts';
import { forwardWithFallbacks } from './forward-with-fallbacks.ts';
import { planRoute } from './plan-route.ts';
import { promptTokens } from './prompt-tokens.ts';
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
  // Only rules and context windows ask for `now`, only limits and budgets for `exact`: often neither.
  const tokens = promptTokens(request);
  const plan = planRoute(call, request, wire, tokens.now);
  // Each returns a promise only when a limit or a hard budget applies: most requests wait for neither.
  const limiting = checkRateLimits(call, plan.candidates[0]!, tokens.exact, request.options.maxOutputTokens);
  if (limiting) await limiting;
  const reserving = reserveBudget(call, plan.candidates, tokens.exact, request.options.maxOutputTokens);
  if (reserving) await reserving;
  await forwardWithFallbacks(call, plan, request, wire, body);
}
