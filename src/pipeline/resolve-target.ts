import { MoatError } from '../errors/index.ts';
import type { Call, Target } from './call.ts';

/**
 * For endpoints without fallbacks (embeddings, token counting): the client's model name → the first
 * target of its route (or its model entry), without health or capability checks.
 */
export function resolveTarget(call: Call, model: string): Target {
  call.requestedModel = model;
  const choice = call.runtime.routes.resolve(model, {
    tenantId: call.key?.tenantId ?? null,
    keyTier: call.key?.tier ?? null,
    keyMetadata: call.key?.metadata ?? null,
    tags: new Set(),
    needs: new Set(),
    promptTokens: () => 0,
  });
  if (!choice) {
    throw new MoatError('model_not_found', `The model '${model}' is not configured in Moat; GET /v1/models lists the models you can use.`, {
      param: 'model',
    });
  }
  const allowed = call.key?.allowedModels;
  if (allowed && !allowed.includes(model) && !allowed.includes(choice.name)) {
    throw new MoatError('model_not_allowed', `This key may not use model '${model}'.`, { param: 'model' });
  }
  const resolved = choice.targets[0]!;
  const provider = call.runtime.providers.get(resolved.entry.provider)!;
  const target: Target = { provider, entry: resolved.entry, upstreamModel: resolved.upstreamModel };
  call.target = target;
  return target;
}
