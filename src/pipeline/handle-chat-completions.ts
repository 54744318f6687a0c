import { decodeChatRequest, parseJsonObject, validateChatRequest } from '../dialects/openai-chat/index.ts';
import { authenticate } from './authenticate.ts';
import type { Call } from './call.ts';
import { readBody } from './read-body.ts';
import { serveChat } from './serve-chat.ts';

/**
 * POST /v1/chat/completions. The stages run in this order (docs/architecture.md):
 * authenticate → read body → decode (parse once, validate, canonical) → veil → privacy → plan the
 * route → rate limits → budget → per attempt: plan edits or translate → capacity → relay upstream,
 * falling back on failure → record (in the server, when the response closes).
 */
export async function handleChatCompletions(call: Call): Promise<void> {
  await authenticate(call);
  const body = await readBody(call);
  const wire = parseJsonObject(body);
  await serveChat(call, decodeChatRequest(validateChatRequest(wire)), wire, body);
}
