/**
 * Microbenchmark of the sink's side of metering (docs/metering.md): a recorded passthrough stream
 * relayed through `PassthroughSink`, then `meteredUsage()`. With the upstream's usage in the stream
 * (the normal path) metering only reads it; without it (a server that ignores `stream_options`, a
 * client that left after 8 events) the retained events are decoded and counted with o200k_base.
 * Kept apart from metering.ts so the tokenizer's 70 MB do not disturb those figures.
 * Run: `node bench/micro/usage-fallback.ts` (node_modules/.bin first on PATH). Prints a markdown table.
 */
import { readFileSync } from 'node:fs';
import { parseConfigText } from '../../src/config/index.ts';
import { decodeChatRequest, validateChatRequest } from '../../src/dialects/openai-chat/index.ts';
import { PassthroughSink } from '../../src/pipeline/passthrough-sink.ts';
import { createOpenAIChatWire } from '../../src/providers/openai/index.ts';
import { loadTokenCounter } from '../../src/tokens/index.ts';

const ITERATIONS = 2000;
const BATCHES = 9;

/** Median µs per call over BATCHES batches, after one warm-up batch. */
function measure(fn: () => void): number {
  const samples: number[] = [];
  for (let b = -1; b < BATCHES; b++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < ITERATIONS; i++) fn();
    if (b >= 0) samples.push(Number(process.hrtime.bigint() - start) / ITERATIONS / 1000);
  }
  return samples.sort((a, b) => a - b)[Math.floor(BATCHES / 2)]!;
}

const fixture = (name: string) => readFileSync(new URL(`../../src/providers/openai/__fixtures__/${name}`, import.meta.url));
const wholeEvents = (text: string) => text.split(/(?<=\n\n)/).filter((e) => e.trim() !== '').map((e) => Buffer.from(e));
const withUsage = wholeEvents(fixture('chat-text.stream.sse').toString('utf8'));
const withoutUsage = withUsage.filter((e) => !e.includes('"choices":[]')).map((e) => Buffer.from(e.toString('utf8').replace(',"usage":null', '')));
const request = decodeChatRequest(validateChatRequest(JSON.parse(fixture('chat-text.request.json').toString('utf8'))));
const chat = createOpenAIChatWire({ maxTokensField: 'max_completion_tokens', acceptsTopK: false });
const model = parseConfigText('models: [{name: m, provider: p}]\nproviders: {p: {type: openai, baseUrl: "http://x/v1"}}', 'bench', {}).models[0]!;

function relay(chunks: Buffer[], ended: boolean): PassthroughSink {
  const sink = new PassthroughSink(chat.createObserver(), { terminalMarker: chat.terminalMarker, counting: { request, wire: chat, model } });
  for (const chunk of chunks) sink.streamChunk(chunk);
  if (ended) sink.streamEnd();
  return sink;
}

const results: [string, number][] = [];
results.push([`chat-text stream (${withUsage.length} events) through the sink, not metered`, measure(() => relay(withUsage, true))]);
results.push(['… and metered: usage reported', measure(() => relay(withUsage, true).meteredUsage())]);
await loadTokenCounter();
results.push(['… the same stream without usage: decoded and counted (o200k)', measure(() => relay(withoutUsage, true).meteredUsage())]);
results.push(['… cut after 8 events (client gone): counted (o200k)', measure(() => relay(withUsage.slice(0, 8), false).meteredUsage())]);

const lines = ['| step | µs per request |', '|---|---:|', ...results.map(([what, us]) => `| ${what} | ${us.toFixed(2)} |`)];
lines.push('', `Node ${process.version}; median of ${BATCHES} batches of ${ITERATIONS}.`);
console.log(lines.join('\n'));
