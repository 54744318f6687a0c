import { lastEventEnd, SseDecoder } from '../../streaming/index.ts';

const USAGE_MARK = Buffer.from('"prompt_tokens"');
const TERMINATORS = ['\n\n', '\r\n\r\n', '\r\r'].map((t) => Buffer.from(t));

/** The offset just past the blank line that ends the event holding `at`, or the end of the bytes. */
function eventEndAfter(bytes: Buffer, at: number): number {
  let end = bytes.length;
  for (const terminator of TERMINATORS) {
    const found = bytes.indexOf(terminator, at);
    if (found !== -1 && found + terminator.length < end) end = found + terminator.length;
  }
  return end;
}

/** Whether an event is the usage-only chunk (`choices: []`, `usage: {…}`) of an OpenAI stream. */
function isUsageOnly(event: Buffer): boolean {
  let data = '';
  const sse = new SseDecoder((message) => (data += message.data));
  sse.feed(event);
  sse.end();
  try {
    const chunk = JSON.parse(data) as { choices?: unknown; usage?: unknown };
    return Array.isArray(chunk.choices) && chunk.choices.length === 0 && chunk.usage != null;
  } catch {
    return false;
  }
}

/**
 * Whole SSE events of an OpenAI chat stream, minus the final usage-only chunk. Moat asks every
 * streaming upstream for usage, to meter the request; a client that did not ask for it
 * (`stream_options.include_usage`) must not get that extra chunk, as OpenAI would not send it.
 */
export function stripUsageOnlyEvents(bytes: Buffer): Buffer {
  let at = bytes.indexOf(USAGE_MARK);
  if (at === -1) return bytes;
  const kept: Buffer[] = [];
  let copied = 0;
  while (at !== -1) {
    const start = lastEventEnd(bytes.subarray(0, at));
    const end = eventEndAfter(bytes, at);
    if (isUsageOnly(bytes.subarray(start, end))) {
      kept.push(bytes.subarray(copied, start));
      copied = end;
    }
    at = bytes.indexOf(USAGE_MARK, end);
  }
  if (copied === 0) return bytes;
  kept.push(bytes.subarray(copied));
  return Buffer.concat(kept);
}
