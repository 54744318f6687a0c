import { parseJsonObject, validateEmbeddingsRequest } from '../dialects/openai-chat/index.ts';
import { editJsonBody, hasEdits } from '../passthrough/index.ts';
import { authenticate } from './authenticate.ts';
import type { Call } from './call.ts';
import { checkRateLimits } from './check-rate-limits.ts';
import { planRequestEdits } from './plan-request-edits.ts';
import { readBody } from './read-body.ts';
import { relayWithinCapacity } from './hold-capacity.ts';
import { countOnce } from './prompt-tokens.ts';
import { reserveBudget } from './reserve-budget.ts';
import { resolveTarget } from './resolve-target.ts';
import { estimateEmbeddingsInputTokens } from '../tokens/index.ts';
import { EmbeddingsObserver } from '../providers/openai/index.ts';
import { PassthroughSink } from './passthrough-sink.ts';

/** POST /v1/embeddings: the same stages as chat, never streamed. */
export async function handleEmbeddings(call: Call): Promise<void> {
  await authenticate(call);
  const body = await readBody(call);
  const wire = parseJsonObject(body);
  const request = validateEmbeddingsRequest(wire);
  const target = resolveTarget(call, request.model);
  const promptTokens = countOnce(() => estimateEmbeddingsInputTokens(request.input));
  await checkRateLimits(call, target, promptTokens, 0);
  await reserveBudget(call, target, promptTokens, 0);
  const edits = planRequestEdits(call, target, wire);
  const upstreamBody = hasEdits(edits) ? editJsonBody(body, edits) : body;
  await relayWithinCapacity(call, target, { path: '/embeddings', body: upstreamBody, stream: false, sink: new PassthroughSink(new EmbeddingsObserver()) });
}
