/**
 * Microbenchmark of the reasoning veil (docs/veil.md): what its response filter adds per streamed
 * chunk. A long reasoning answer (600 reasoning chunks, 200 answer chunks, ~4 words each, as engines
 * stream them) is decoded, filtered and encoded for the client exactly as TranslatingSink does it,
 * with and without the veil; and the filter alone over the decoded events, its end-of-answer work
 * included (the 12-word copy check, sealing the reasoning for Anthropic clients). Without the veil the
 * client is sent the reasoning, which costs encoding; with it, that encoding is saved — so the
 * difference of the two pipelines can be negative, and the filter alone is the veil's own cost.
 * Run: `npm run bench:veil` (node_modules/.bin first on PATH). docs/benchmarks.md quotes the table.
 */
import type { CanonicalEvent, CanonicalRequest } from '../../src/canonical/index.ts';
import { parseConfigText } from '../../src/config/index.ts';
import { anthropicMessagesDialect } from '../../src/dialects/anthropic-messages/index.ts';
import { openAIChatDialect } from '../../src/dialects/openai-chat/index.ts';
import type { Dialect } from '../../src/dialects/types.ts';
import { createProviders } from '../../src/providers/index.ts';
import { loadTokenCounter } from '../../src/tokens/index.ts';
import { deriveVeilKeys, sealReasoning, stripStrayThinkTags, VeilFilter } from '../../src/veil/index.ts';
import { medianNanos } from './measure.ts';

await loadTokenCounter();
const config = parseConfigText(
  `
providers: { vllm: { type: openai-compatible, baseUrl: "http://127.0.0.1:9/v1" } }
models:
  - { name: fields, provider: vllm }
  - { name: open, provider: vllm, reasoningFormat: think-tags-open }
`,
  'bench',
);
const wire = createProviders(config.providers, config.timeouts, {}).get('vllm')!.chat;
const modelOf = (name: string) => config.models.find((m) => m.name === name)!;
const keys = deriveVeilKeys({ currentVersion: 1, keys: new Map([[1, Buffer.alloc(32, 7)]]) });
const request: CanonicalRequest = { model: 'm', stream: true, includeUsage: true, messages: [{ role: 'user', parts: [{ type: 'text', text: 'q' }] }], options: {} };

const WORDS = 'the ball costs x and the bat costs one dollar more so two x plus one equals one ten hence x is five cents'.split(' ');
const piece = (i: number) => ` ${WORDS[i % WORDS.length]} ${WORDS[(i * 7) % WORDS.length]} ${WORDS[(i * 3) % WORDS.length]} ${i}`;
const REASONING_CHUNKS = 600;
const ANSWER_CHUNKS = 200;

function sse(field: 'reasoning_content' | 'content', openTags: boolean): Buffer {
  const base = { id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1, model: 'r1' };
  const lines: string[] = [];
  const push = (delta: Record<string, unknown>, finish: string | null = null) => lines.push(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`);
  for (let i = 0; i < REASONING_CHUNKS; i++) push({ [field]: piece(i) });
  if (openTags) push({ content: '</think>\n\n' });
  for (let i = 0; i < ANSWER_CHUNKS; i++) push({ content: piece(i + 1000) });
  push({}, 'stop');
  lines.push(`data: ${JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: 9, completion_tokens: 3000, total_tokens: 3009 } })}\n\n`, 'data: [DONE]\n\n');
  return Buffer.from(lines.join(''));
}

/** The stream as the upstream's socket delivers it: one SSE event per chunk. */
function chunks(bytes: Buffer): Buffer[] {
  return bytes.toString('utf8').split(/(?<=\n\n)/).map((s) => Buffer.from(s));
}

/** As src/pipeline/apply-veil.ts builds it: `fields` models also get the stray `<think>` stripper. */
function veil(dialect: Dialect, model: string): { push(e: CanonicalEvent, emit: (e: CanonicalEvent) => void): void; end(emit: (e: CanonicalEvent) => void): void } {
  const filter = new VeilFilter({ blobs: dialect.name === 'anthropic-messages' ? 'all' : 'signed', seal: (p) => sealReasoning(p, 'tenant', keys), copySpanWords: 12, flag: () => {} });
  return model === 'fields' ? stripStrayThinkTags(filter) : filter;
}

/** Median nanoseconds per call of `fn` (bench/micro/measure.ts). */
const measure = (fn: () => void, iterations = 40, batches = 9): number => medianNanos(fn, iterations, batches);

/**
 * The two pipelines timed in alternating batches, so load from other processes hits both alike:
 * the median of each, and the median of the per-batch differences.
 */
function measurePair(a: () => void, b: () => void, iterations = 20, batches = 15): [number, number, number] {
  for (let i = 0; i < iterations; i++) {
    a();
    b();
  }
  const as: number[] = [];
  const bs: number[] = [];
  const diffs: number[] = [];
  const time = (fn: () => void) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) fn();
    return Number(process.hrtime.bigint() - start) / iterations;
  };
  for (let k = 0; k < batches; k++) {
    const ta = time(a);
    const tb = time(b);
    as.push(ta);
    bs.push(tb);
    diffs.push(tb - ta);
  }
  const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  return [median(as), median(bs), median(diffs)];
}

function pipeline(stream: Buffer[], model: string, dialect: Dialect, withVeil: boolean): () => void {
  return () => {
    const encoder = dialect.createStreamEncoder(request);
    const filter = withVeil ? veil(dialect, model) : null;
    let out = '';
    const toClient = (e: CanonicalEvent) => (out += encoder.push(e));
    const decoder = wire.createStreamDecoder(filter ? (e) => filter.push(e, toClient) : toClient, modelOf(model));
    for (const chunk of stream) decoder.feed(chunk);
    decoder.end();
    filter?.end(toClient);
    out += encoder.end();
  };
}

console.log(`node ${process.version}, ${REASONING_CHUNKS} reasoning + ${ANSWER_CHUNKS} answer chunks per stream\n`);
console.log('| upstream format → client | chunks | stream without veil, µs | with veil, µs | difference per chunk, µs | veil alone, µs | veil alone per chunk, µs |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const [format, model, bytes] of [
  ['reasoning_content', 'fields', sse('reasoning_content', false)],
  ['template-opened <think>', 'open', sse('content', true)],
] as const) {
  const stream = chunks(bytes);
  const n = stream.length;
  for (const dialect of [openAIChatDialect, anthropicMessagesDialect]) {
    const events: CanonicalEvent[] = [];
    const decoder = wire.createStreamDecoder((e) => events.push(e), modelOf(model));
    for (const chunk of stream) decoder.feed(chunk);
    decoder.end();
    const [without, withVeil, difference] = measurePair(pipeline(stream, model, dialect, false), pipeline(stream, model, dialect, true));
    const alone = measure(() => {
      const filter = veil(dialect, model);
      const sink = () => {};
      for (const e of events) filter.push(e, sink);
      filter.end(sink);
    });
    console.log(`| ${format} → ${dialect.name} | ${n} | ${(without / 1000).toFixed(0)} | ${(withVeil / 1000).toFixed(0)} | ${(difference / 1000 / n).toFixed(2)} | ${(alone / 1000).toFixed(0)} | ${(alone / 1000 / n).toFixed(2)} |`);
  }
}
