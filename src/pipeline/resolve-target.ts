import { MoatError } from '../errors/index.ts';
import type { Call, Target } from './call.ts';

/** Stage 3: the client's model name → provider and upstream model (exact names, then patterns). */
export function resolveTarget(call: Call, model: string): Target {
  call.requestedModel = model;
  const resolved = call.runtime.models.resolve(model);
  if (!resolved) {
    throw new MoatError('model_not_found', `The model '${model}' is not configured in Moat; GET /v1/models lists the models you can use.`, {
      param: 'model',
    });
  }
  const allowed = call.key?.allowedModels;
  if (allowed && !allowed.includes(model) && !allowed.includes(resolved.entry.name)) {
    throw new MoatError('model_not_allowed', `This key may not use model '${model}'.`, { param: 'model' });
  }
  const provider = call.runtime.providers.get(resolved.entry.provider)!;
  const target: Target = { provider, entry: resolved.entry, upstreamModel: resolved.upstreamModel };
  call.target = target;
  return target;
}
