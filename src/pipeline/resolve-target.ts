import type { Call, Target } from './call.ts';
import { chooseRoute, toTarget } from './choose-route.ts';

/**
 * For endpoints without fallbacks (embeddings, token counting): the client's model name → the first
 * target of its route (or its model entry), without health or capability checks.
 */
export function resolveTarget(call: Call, model: string): Target {
  const target = toTarget(call, chooseRoute(call, model, { tags: new Set(), needs: new Set(), promptTokens: () => 0 }).targets[0]!);
  call.target = target;
  return target;
}
