import { decodeMessagesRequest, validateMessagesRequest } from '../dialects/anthropic-messages/index.ts';
import { parseJsonObject } from '../dialects/parse-json-object.ts';
import { authenticate } from './authenticate.ts';
import type { Call } from './call.ts';
import { checkRateLimits } from './check-rate-limits.ts';
import { forwardChat } from './forward-chat.ts';
import { readBody } from './read-body.ts';
import { countOnce } from './prompt-tokens.ts';
import { reserveBudget } from './reserve-budget.ts';
import { resolveTarget } from './resolve-target.ts';
import { estimateInputTokens } from '../tokens/index.ts';

/** POST /v1/messages (Anthropic clients): the same stages as chat completions, in the same order. */
export async function handleMessages(call: Call): Promise<void> {
  await authenticate(call);
  const body = await readBody(call);
  const wire = parseJsonObject(body);
  const request = decodeMessagesRequest(validateMessagesRequest(wire));
  call.stream = request.stream;
  const target = resolveTarget(call, request.model);
  const promptTokens = countOnce(() => estimateInputTokens(request));
  await checkRateLimits(call, target, promptTokens, request.options.maxOutputTokens);
  await reserveBudget(call, target, promptTokens, request.options.maxOutputTokens);
  await forwardChat(call, target, request, wire, body);
}
