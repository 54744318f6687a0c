/**
 * Microbenchmark of translation, one stage at a time, on the recorded fixtures: the CPU Moat spends
 * per request and per streamed event to turn one API into the other, beside the passthrough observer
 * that the untranslated path runs instead. Run: `npm run bench:micro` (node_modules/.bin first on PATH).
 * Prints a markdown table; docs/benchmarks.md quotes it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CanonicalEvent, CanonicalRequest } from '../../src/canonical/index.ts';
import type { Dialect } from '../../src/dialects/types.ts';
import type { ResponseObserver } from '../../src/providers/index.ts';
import { parseConfigText } from '../../src/config/index.ts';
import { anthropicMessagesDialect, decodeMessagesRequest, validateMessagesRequest } from '../../src/dialects/anthropic-messages/index.ts';
import { decodeChatRequest, openAIChatDialect, validateChatRequest } from '../../src/dialects/openai-chat/index.ts';
import { AnthropicStreamDecoder, AnthropicUsageObserver, encodeAnthropicRequest } from '../../src/providers/anthropic/index.ts';
import { ChatStreamDecoder, ChatUsageObserver, encodeOpenAIRequest } from '../../src/providers/openai/index.ts';
import { medianNanos } from './measure.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (provider: string, name: string): Buffer => readFileSync(`${root}src/providers/${provider}/__fixtures__/${name}`);
const model = parseConfigText('models: [{name: m, provider: p}]\nproviders: {p: {type: openai-compatible, baseUrl: "http://x/v1"}}', 'bench').models[0]!;

/** Median nanoseconds per call of `fn` (bench/micro/measure.ts). */
const measure = (fn: () => void, iterations = 2000, batches = 7): number => medianNanos(fn, iterations, batches);

function countEvents(sse: Buffer): number {
  return sse.toString('utf8').split(/\n\n/).filter((e) => e.includes('data:')).length;
}

interface Row {
  what: string;
  events: number;
  ns: number;
}

const rows: Row[] = [];

type Decoder = { feed(bytes: Uint8Array): void; end(): void };

/** One translated stream (what TranslatingSink does) and, beside it, the passthrough observer alone. */
function measureStream(what: string, name: string, sse: Buffer, dialect: Dialect, request: CanonicalRequest,
  decoder: (emit: (event: CanonicalEvent) => void) => Decoder, observer: () => ResponseObserver): void {
  const events = countEvents(sse);
  rows.push({
    what: `stream, ${what} (${name})`,
    events,
    ns: measure(() => {
      const encoder = dialect.createStreamEncoder(request);
      let out = '';
      const upstream = decoder((event) => (out += encoder.push(event)));
      upstream.feed(sse);
      upstream.end();
      out += encoder.end();
    }),
  });
  rows.push({
    what: `stream, passthrough observer only (${name})`,
    events,
    ns: measure(() => {
      const reader = observer();
      reader.chunk(sse);
      reader.end();
    }),
  });
}

for (const name of ['chat-text', 'chat-parallel-tools']) {
  const request = decodeChatRequest(validateChatRequest(JSON.parse(fixture('openai', `${name}.request.json`).toString())));
  measureStream('OpenAI upstream → Anthropic client', name, fixture('openai', `${name}.stream.sse`), anthropicMessagesDialect, request,
    (emit) => new ChatStreamDecoder(emit), () => new ChatUsageObserver());
}
const openAIStreamRequest = decodeChatRequest(validateChatRequest({ model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true, stream_options: { include_usage: true } }));
for (const name of ['messages-text', 'messages-parallel-tools', 'messages-thinking']) {
  measureStream('Anthropic upstream → OpenAI client', name, fixture('anthropic', `${name}.stream.sse`), openAIChatDialect, openAIStreamRequest,
    (emit) => new AnthropicStreamDecoder(emit), () => new AnthropicUsageObserver());
}

// Requests: client body → canonical → upstream body (validation included, as on the request path).
const openAIBody = fixture('openai', 'chat-parallel-tools.request.json');
rows.push({
  what: 'request, OpenAI client → Anthropic upstream (chat-parallel-tools)',
  events: 0,
  ns: measure(() => {
    const request = decodeChatRequest(validateChatRequest(JSON.parse(openAIBody.toString())));
    encodeAnthropicRequest(request, 'claude', model);
  }),
});
const anthropicBody = fixture('anthropic', 'messages-parallel-tools.request.json');
rows.push({
  what: 'request, Anthropic client → OpenAI upstream (messages-parallel-tools)',
  events: 0,
  ns: measure(() => {
    const request = decodeMessagesRequest(validateMessagesRequest(JSON.parse(anthropicBody.toString())));
    encodeOpenAIRequest(request, 'gpt', model, { maxTokensField: 'max_tokens', acceptsTopK: true });
  }),
});

console.log(`node ${process.version}\n`);
console.log('| stage | events | µs per request | µs per event |');
console.log('|---|---:|---:|---:|');
for (const row of rows) {
  const perEvent = row.events > 0 ? (row.ns / 1000 / row.events).toFixed(2) : '';
  console.log(`| ${row.what} | ${row.events || ''} | ${(row.ns / 1000).toFixed(1)} | ${perEvent} |`);
}
