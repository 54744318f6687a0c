/**
 * Microbenchmark of translation, one stage at a time, on the recorded fixtures: the CPU Moat spends
 * per request and per streamed event to turn one API into the other, beside the passthrough observer
 * that the untranslated path runs instead. Run: `npm run bench:micro` (node_modules/.bin first on PATH).
 * Prints a markdown table; docs/benchmarks.md quotes it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CanonicalEvent } from '../../src/canonical/index.ts';
import { parseConfigText } from '../../src/config/index.ts';
import { anthropicMessagesDialect, decodeMessagesRequest, validateMessagesRequest } from '../../src/dialects/anthropic-messages/index.ts';
import { decodeChatRequest, openAIChatDialect, validateChatRequest } from '../../src/dialects/openai-chat/index.ts';
import { AnthropicStreamDecoder, AnthropicUsageObserver, encodeAnthropicRequest } from '../../src/providers/anthropic/index.ts';
import { ChatStreamDecoder, ChatUsageObserver, encodeOpenAIRequest } from '../../src/providers/openai/index.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (provider: string, name: string): Buffer => readFileSync(`${root}src/providers/${provider}/__fixtures__/${name}`);
const model = parseConfigText('models: [{name: m, provider: p}]\nproviders: {p: {type: openai-compatible, baseUrl: "http://x/v1"}}', 'bench').models[0]!;

/** Median nanoseconds per call of `fn`, over `batches` batches of `iterations` after a warm-up. */
function measure(fn: () => void, iterations = 2000, batches = 7): number {
  for (let i = 0; i < iterations; i++) fn();
  const samples: number[] = [];
  for (let b = 0; b < batches; b++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) fn();
    samples.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  return samples.sort((a, b) => a - b)[Math.floor(batches / 2)]!;
}

function countEvents(sse: Buffer): number {
  return sse.toString('utf8').split(/\n\n/).filter((e) => e.includes('data:')).length;
}

interface Row {
  what: string;
  events: number;
  ns: number;
}

const rows: Row[] = [];

// Streams: upstream bytes → canonical events → the client's SSE (what TranslatingSink does per chunk).
for (const name of ['chat-text', 'chat-parallel-tools']) {
  const sse = fixture('openai', `${name}.stream.sse`);
  const request = decodeChatRequest(validateChatRequest(JSON.parse(fixture('openai', `${name}.request.json`).toString())));
  rows.push({
    what: `stream, OpenAI upstream → Anthropic client (${name})`,
    events: countEvents(sse),
    ns: measure(() => {
      const encoder = anthropicMessagesDialect.createStreamEncoder(request);
      let out = '';
      const decoder = new ChatStreamDecoder((event: CanonicalEvent) => (out += encoder.push(event)));
      decoder.feed(sse);
      decoder.end();
      out += encoder.end();
    }),
  });
  rows.push({
    what: `stream, passthrough observer only (${name})`,
    events: countEvents(sse),
    ns: measure(() => {
      const observer = new ChatUsageObserver();
      observer.chunk(sse);
      observer.end();
    }),
  });
}
for (const name of ['messages-text', 'messages-parallel-tools', 'messages-thinking']) {
  const sse = fixture('anthropic', `${name}.stream.sse`);
  const request = decodeChatRequest(validateChatRequest({ model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true, stream_options: { include_usage: true } }));
  rows.push({
    what: `stream, Anthropic upstream → OpenAI client (${name})`,
    events: countEvents(sse),
    ns: measure(() => {
      const encoder = openAIChatDialect.createStreamEncoder(request);
      let out = '';
      const decoder = new AnthropicStreamDecoder((event: CanonicalEvent) => (out += encoder.push(event)));
      decoder.feed(sse);
      decoder.end();
      out += encoder.end();
    }),
  });
  rows.push({
    what: `stream, passthrough observer only (${name})`,
    events: countEvents(sse),
    ns: measure(() => {
      const observer = new AnthropicUsageObserver();
      observer.chunk(sse);
      observer.end();
    }),
  });
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
