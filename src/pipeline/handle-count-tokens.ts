import { decodeCountTokensRequest, validateCountTokensRequest } from '../dialects/anthropic-messages/index.ts';
import { parseJsonObject } from '../dialects/parse-json-object.ts';
import { editJsonBody } from '../passthrough/index.ts';
import { estimateInputTokens } from '../tokens/index.ts';
import { decideForCaller } from './apply-privacy.ts';
import { authenticate } from './authenticate.ts';
import type { Call } from './call.ts';
import { PassthroughSink } from './passthrough-sink.ts';
import { readBody } from './read-body.ts';
import { newAttempt } from './new-attempt.ts';
import { relayUpstream } from './relay-upstream.ts';
import { resolveTarget } from './resolve-target.ts';
import { writeHead } from './write-head.ts';

/** Counting needs no usage reading: the answer is the count. */
const NO_USAGE = { chunk() {}, end() {}, body() {}, usage: null, sawFirstToken: false };

/**
 * POST /v1/messages/count_tokens. An Anthropic upstream counts for itself; for any other upstream Moat
 * estimates (src/tokens) and says so in `x-moat-warnings`.
 */
export async function handleCountTokens(call: Call): Promise<void> {
  await authenticate(call);
  const body = await readBody(call);
  const wire = parseJsonObject(body);
  const request = decodeCountTokensRequest(validateCountTokensRequest(wire));
  const target = resolveTarget(call, request.model);
  // Under a privacy policy that acts on what it found, the count is made here: nothing leaves.
  const decision = decideForCaller(call, request);
  const keepHere = decision !== null && decision.kind !== 'pass' && !(decision.kind === 'local-only' && target.entry.tier === 'local');
  if (target.provider.nativeDialect === 'anthropic-messages' && !keepHere) {
    const upstreamBody = wire.model === target.upstreamModel ? body : editJsonBody(body, { set: { model: target.upstreamModel } });
    await relayUpstream(call, target, {
      path: '/messages/count_tokens',
      body: upstreamBody,
      stream: false,
      createSink: () => new PassthroughSink(NO_USAGE),
      attempt: newAttempt(call, target),
      deferFailure: false,
    });
    return;
  }
  const answer = JSON.stringify({ input_tokens: await estimateInputTokens(request) });
  call.outcome.status = 200;
  writeHead(call, 200, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(answer)),
    'x-moat-warnings': keepHere
      ? 'estimated with the o200k_base tokenizer: the privacy policy keeps this request from the upstream'
      : `estimated with the o200k_base tokenizer: provider '${target.provider.name}' cannot count tokens`,
  });
  call.res.end(answer);
}
