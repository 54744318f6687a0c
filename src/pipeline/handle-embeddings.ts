import { parseJsonObject, validateEmbeddingsRequest, type EmbeddingsRequestBody } from '../dialects/openai-chat/index.ts';
import { editJsonBody, hasEdits, type BodyEdits } from '../passthrough/index.ts';
import { applyPrivacyToInputs } from './apply-privacy-inputs.ts';
import { authenticate } from './authenticate.ts';
import type { Call, Target } from './call.ts';
import { checkRateLimits } from './check-rate-limits.ts';
import { planRequestEdits } from './plan-request-edits.ts';
import { readBody } from './read-body.ts';
import { relayWithinCapacity } from './hold-capacity.ts';
import { newAttempt } from './new-attempt.ts';
import { countOnce } from './prompt-tokens.ts';
import { reserveBudget } from './reserve-budget.ts';
import { resolveTarget } from './resolve-target.ts';
import { estimateEmbeddingsInputTokens } from '../tokens/index.ts';
import { EmbeddingsObserver } from '../providers/openai/index.ts';
import { PassthroughSink } from './passthrough-sink.ts';

/**
 * Privacy (docs/privacy.md) on the texts to embed: refused, kept local, or embedded with typed
 * placeholders in place of the values (the vectors have nothing to restore). Token-id inputs carry no
 * text Moat can read and pass as they are.
 */
function redactInput(call: Call, input: EmbeddingsRequestBody['input'], target: Target, edits: BodyEdits): void {
  if (call.runtime.config.privacy.policies.length === 0) return;
  const texts = typeof input === 'string' ? [input] : input.every((item) => typeof item === 'string') ? (input as string[]) : null;
  if (texts === null) return;
  const redacted = applyPrivacyToInputs(call, texts, target);
  if (redacted.every((text, i) => text === texts[i])) return;
  edits.set = { ...edits.set, input: typeof input === 'string' ? redacted[0] : redacted };
}

/** POST /v1/embeddings: the same stages as chat, never streamed. */
export async function handleEmbeddings(call: Call): Promise<void> {
  await authenticate(call);
  const body = await readBody(call);
  const wire = parseJsonObject(body);
  const request = validateEmbeddingsRequest(wire);
  const target = resolveTarget(call, request.model);
  const promptTokens = countOnce(() => estimateEmbeddingsInputTokens(request.input));
  await checkRateLimits(call, target, promptTokens, 0);
  await reserveBudget(call, [target], promptTokens, 0);
  const edits = planRequestEdits(call, target, wire);
  redactInput(call, request.input, target, edits);
  const upstreamBody = hasEdits(edits) ? editJsonBody(body, edits) : body;
  await relayWithinCapacity(call, target, {
    path: '/embeddings',
    body: upstreamBody,
    stream: false,
    createSink: () => new PassthroughSink(new EmbeddingsObserver()),
    attempt: newAttempt(call, target),
    deferFailure: false,
  });
}
