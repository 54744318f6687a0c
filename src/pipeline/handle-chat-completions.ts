import { decodeChatRequest, parseJsonObject, validateChatRequest } from '../dialects/openai-chat/index.ts';
import { editJsonBody, hasEdits } from '../passthrough/index.ts';
import { authenticate } from './authenticate.ts';
import type { Call } from './call.ts';
import { planRequestEdits } from './plan-request-edits.ts';
import { readBody } from './read-body.ts';
import { relayUpstream } from './relay-upstream.ts';
import { resolveTarget } from './resolve-target.ts';
import { ChatUsageObserver } from './response-observers.ts';

/**
 * POST /v1/chat/completions. The stages run in this order (docs/architecture.md):
 * authenticate → read body → decode (parse once, validate, canonical) → resolve target →
 * plan edits → relay upstream (passthrough) → record (in the server, when the response closes).
 */
export async function handleChatCompletions(call: Call): Promise<void> {
  authenticate(call);
  const body = await readBody(call);
  const wire = parseJsonObject(body);
  const canonical = decodeChatRequest(validateChatRequest(wire));
  call.stream = canonical.stream;
  const target = resolveTarget(call, canonical.model);
  const edits = planRequestEdits(call, target, wire);
  const upstreamBody = hasEdits(edits) ? editJsonBody(body, edits) : body;
  await relayUpstream(call, target, { path: '/chat/completions', body: upstreamBody, stream: canonical.stream, observer: new ChatUsageObserver() });
}
