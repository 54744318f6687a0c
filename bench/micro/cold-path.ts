/**
 * The pre-dispatch steps of a passthrough chat request, each timed on its own, back to back (warm)
 * and again after the process has been idle for a while (cold): the idle case is what a request sees
 * at low traffic, and what the TTFT probe of ../shared/bench sees (one request every ~100 ms).
 * A fixed arithmetic loop is timed beside them, to tell a slower CPU after waking (it slows too) from
 * caches emptied while idle (only code and data that must be fetched again slow down).
 *
 *   node bench/micro/cold-path.ts [--gaps 0,1,5,20,50] [--samples 60]
 */
import { parseArgs } from 'node:util';
import { decodeChatRequest, parseJsonObject, validateChatRequest } from '../../src/dialects/openai-chat/index.ts';
import { chatRequestSchema } from '../../src/dialects/openai-chat/request-schema.ts';
import { hashApiKey } from '../../src/keys/hash-api-key.ts';
import { newRequestId } from '../../src/server/request-id.ts';
import { quantile } from './measure.ts';

const { values } = parseArgs({ options: { gaps: { type: 'string', default: '0,1,5,20,50' }, samples: { type: 'string', default: '60' } } });
const gaps = values.gaps.split(',').map(Number);
const samples = Number(values.samples);

// The harness's request: a 700-byte chat body with a system and a user message.
const body = Buffer.from(
  JSON.stringify({
    model: 'mock-ttft20-gap5-chunks10',
    messages: [
      { role: 'system', content: 'You are a helpful assistant. '.repeat(8) },
      { role: 'user', content: 'Explain the difference between TCP and UDP in detail please. '.repeat(6) },
    ],
    max_tokens: 256,
    temperature: 0.7,
    stream: true,
    stream_options: { include_usage: true },
  }),
);

function arithmetic(): number {
  let x = 0;
  for (let i = 0; i < 1000; i++) x = (x * 31 + i) | 0;
  return x;
}

const steps: Array<[string, () => unknown]> = [
  ['arithmetic loop (reference)', arithmetic],
  ['request id', () => newRequestId()],
  ['sha256 of the key', () => hashApiKey('sk-bench-moat-client-0001')],
  ['JSON.parse of the body', () => parseJsonObject(body)],
  // validateChatRequest skips zod for a plain body like this one (decision 0021); the zod column is what it cost before.
  ['zod schema', () => chatRequestSchema.parse(parseJsonObject(body))],
  ['validation (plain check)', () => validateChatRequest(parseJsonObject(body))],
  ['canonical decode', () => decodeChatRequest(validateChatRequest(parseJsonObject(body)))],
];

// Optimised code first, as in a gateway that has been serving.
for (let i = 0; i < 50_000; i++) for (const [, step] of steps) step();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const rows: string[] = [];
for (const gap of gaps) {
  const times = steps.map(() => [] as number[]);
  for (let s = 0; s < samples; s++) {
    if (gap > 0) await sleep(gap);
    // One step per wake-up: the first thing touched after the idle gap, as a request's stages are.
    for (let k = 0; k < steps.length; k++) {
      if (gap > 0 && k > 0) await sleep(gap);
      const start = process.hrtime.bigint();
      steps[k]![1]();
      times[k]!.push(Number(process.hrtime.bigint() - start) / 1000);
    }
  }
  rows.push(`| ${gap === 0 ? 'back to back' : `${gap} ms`} | ${times.map((t) => quantile(t, 0.5).toFixed(1)).join(' | ')} |`);
}
console.log(`node ${process.version}, ${samples} samples per cell, median µs per call (the later steps include the earlier ones)`);
console.log(`| idle before each call | ${steps.map(([name]) => name).join(' | ')} |`);
console.log(`|---|${steps.map(() => '---:').join('|')}|`);
for (const row of rows) console.log(row);
