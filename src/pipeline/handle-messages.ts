import { decodeMessagesRequest, validateMessagesRequest } from '../dialects/anthropic-messages/index.ts';
import { parseJsonObject } from '../dialects/parse-json-object.ts';
import { authenticate } from './authenticate.ts';
import type { Call } from './call.ts';
import { readBody } from './read-body.ts';
import { serveChat } from './serve-chat.ts';

/** POST /v1/messages (Anthropic clients): the same stages as chat completions, in the same order. */
export async function handleMessages(call: Call): Promise<void> {
  await authenticate(call);
  const body = await readBody(call);
  const wire = parseJsonObject(body);
  await serveChat(call, decodeMessagesRequest(validateMessagesRequest(wire)), wire, body);
}
