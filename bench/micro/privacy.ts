/**
 * Microbenchmark of the privacy stage on ~10 KB of ordinary English prose with a few personal values
 * (bench/micro/privacy-prose.ts): structured detectors and secrets together, names and addresses
 * apart, the whole redact decision on a request, and restoring the answer per streamed chunk.
 * Run: `npm run bench:privacy` (node_modules/.bin first on PATH). Prints a markdown table.
 */
import type { CanonicalEvent, CanonicalRequest } from '../../src/canonical/index.ts';
import type { PlaceholderMap} from '../../src/privacy/index.ts';
import { decidePrivacy, detect, RestoreFilter, STRUCTURED_TYPES, type EntityType } from '../../src/privacy/index.ts';
import { PROSE } from './privacy-prose.ts';

/**
 * Nanoseconds per call of `fn` over `batches` batches of `iterations` after a warm-up: the median
 * batch in wall time, and in this process's CPU time (user + system), which on a shared machine leaves
 * out the time the process waited for a CPU.
 */
function measure(fn: () => void, iterations = 500, batches = 9): { ns: number; cpu: number } {
  for (let i = 0; i < iterations; i++) fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let b = 0; b < batches; b++) {
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) fn();
    wall.push(Number(process.hrtime.bigint() - start) / iterations);
    const used = process.cpuUsage(cpuStart);
    cpu.push(((used.user + used.system) * 1000) / iterations);
  }
  const median = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { ns: median(wall), cpu: median(cpu) };
}

const rows: Array<{ what: string; ns: number; cpu: number; note: string }> = [];
const kb = `${(Buffer.byteLength(PROSE) / 1000).toFixed(1)} kB`;
const found = (types: readonly EntityType[]): string => detect(PROSE, types).map((f) => f.type).join(', ');

rows.push({ what: `structured + secrets on ${kb}`, ...measure(() => detect(PROSE, STRUCTURED_TYPES)), note: found(STRUCTURED_TYPES) });
rows.push({ what: `person names on ${kb}`, ...measure(() => detect(PROSE, ['person'])), note: found(['person']) });
rows.push({ what: `street addresses on ${kb}`, ...measure(() => detect(PROSE, ['address'])), note: found(['address']) });
rows.push({ what: `all nine types on ${kb}`, ...measure(() => detect(PROSE)), note: '' });

const request: CanonicalRequest = { model: 'm', stream: true, includeUsage: false, options: {}, messages: [{ role: 'user', parts: [{ type: 'text', text: PROSE }] }] };
const policy = { email: 'redact', phone: 'redact', card: 'redact', iban: 'redact', ssn: 'redact', ip: 'redact', secret: 'redact' } as const;
rows.push({ what: `redact decision, structured + secrets, ${kb} request`, ...measure(() => decidePrivacy(request, policy)), note: 'scan + rewrite' });

// The answer as an upstream streams it: the redacted prose, in chunks of 4–24 characters.
const decision = decidePrivacy(request, policy);
if (decision.kind !== 'redact') throw new Error('expected a redaction');
const answer = (decision.messages[0]!.parts[0] as { text: string }).text;
const chunks: string[] = [];
for (let at = 0, i = 0; at < answer.length; i++) {
  const size = 4 + ((i * 7) % 21);
  chunks.push(answer.slice(at, at + size));
  at += size;
}
const map: PlaceholderMap = decision.map;
const restoreAll = (): void => {
  const filter = new RestoreFilter(map);
  const emit = (_e: CanonicalEvent): void => {};
  for (const text of chunks) filter.push({ type: 'text-delta', choice: 0, text }, emit);
  filter.end(emit);
};
const restore = measure(restoreAll, 200);
rows.push({ what: `restore, per streamed chunk (${chunks.length} chunks)`, ns: restore.ns / chunks.length, cpu: restore.cpu / chunks.length, note: `${map.size} placeholders` });

const us = (ns: number): string => (ns / 1000).toFixed(ns < 10_000 ? 2 : 1);
console.log(`Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; 9 batches.\n`);
console.log('| what | µs per call (wall, median batch) | µs of CPU per call (median batch) | found / note |\n|---|---|---|---|');
for (const r of rows) console.log(`| ${r.what} | ${us(r.ns)} | ${us(r.cpu)} | ${r.note} |`);
