import { MoatError } from '../errors/index.ts';
import type { ResolvedModel, RouteChoice, RouteContext } from '../routing/index.ts';
import type { Call, Target } from './call.ts';

/**
 * The client's model name → its route (or model entry), as the caller's key may use it:
 * `model_not_found` when nothing matches, `model_not_allowed` when the key's `allowedModels` names
 * neither the requested name nor the route's.
 */
export function chooseRoute(call: Call, model: string, context: Omit<RouteContext, 'tenantId' | 'keyTier' | 'keyMetadata'>): RouteChoice {
  call.requestedModel = model;
  const key = call.key;
  const choice = call.runtime.routes.resolve(model, {
    tenantId: key?.tenantId ?? null,
    keyTier: key?.tier ?? null,
    keyMetadata: key?.metadata ?? null,
    ...context,
  });
  if (!choice) {
    throw new MoatError('model_not_found', `The model '${model}' is not configured in Moat; GET /v1/models lists the models you can use.`, { param: 'model' });
  }
  const allowed = key?.allowedModels;
  if (allowed && !allowed.includes(model) && !allowed.includes(choice.name)) {
    throw new MoatError('model_not_allowed', `This key may not use model '${model}'.`, { param: 'model' });
  }
  return choice;
}

/** A resolved model entry with its provider from the call's runtime. */
export function toTarget(call: Call, resolved: ResolvedModel): Target {
  return { provider: call.runtime.providers.get(resolved.entry.provider)!, entry: resolved.entry, upstreamModel: resolved.upstreamModel };
}
