/**
 * Microbenchmark of the difficulty router's decision (issue 7, target ≤ 50 µs for a 2 KB prompt):
 * text of the request, features, score, threshold compare — what a `difficulty` route does per request.
 * Run: `npm run bench:router` (node_modules/.bin first on PATH). Prompts are synthetic (built here),
 * mixed prose, numbers and code. Prints a markdown table: median of batch means (wall clock), CPU time
 * per decision (process CPU over all batches: what a dedicated core would take, when the machine is
 * shared and the process gets descheduled), and p99 of single calls.
 */
import { loadavg } from 'node:os';
import type { CanonicalRequest } from '../../src/canonical/index.ts';
import { loadDifficultyRouter } from '../../src/difficulty/index.ts';

const router = loadDifficultyRouter();
const threshold = router.thresholdFor({ premiumShare: 0.3 });

const WORDS = 'the of and to in is that for it as with was on be by at this which from or have an are not but were all can there their when what one more also has its into only other some could time than then these two may first any new like our over such after most made well way even because how many where much both those each very through between should including under three while however given find total value compute prove function return const let if else'.split(' ');

function prompt(bytes: number, seed: number): string {
  let s = seed;
  const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0);
  const out: string[] = [];
  let length = 0;
  while (length < bytes) {
    const r = next();
    const token = r % 11 === 0 ? String(r % 1000) : r % 29 === 0 ? `x[${r % 7}] = y * ${r % 13};\n` : WORDS[r % WORDS.length]!;
    out.push(token);
    length += token.length + 1;
  }
  return `${out.join(' ').slice(0, bytes - 1)}?`;
}

const request = (text: string): CanonicalRequest =>
  ({ model: 'auto', stream: false, includeUsage: false, options: {}, messages: [{ role: 'system', parts: [{ type: 'text', text: 'You are a helpful assistant.' }] }, { role: 'user', parts: [{ type: 'text', text }] }] }) as never;

const BATCH = 5_000;
const BATCHES = 9;

function measure(requests: CanonicalRequest[]): { median: number; cpu: number; p99: number } {
  let premium = 0;
  const means: number[] = [];
  let cpu = 0;
  for (let b = -1; b < BATCHES; b++) {
    const start = process.hrtime.bigint();
    const cpuStart = process.cpuUsage();
    for (let i = 0; i < BATCH; i++) if (router.score(requests[i % requests.length]!) > threshold) premium++;
    const used = process.cpuUsage(cpuStart);
    if (b >= 0) {
      means.push(Number(process.hrtime.bigint() - start) / BATCH / 1000);
      cpu += (used.user + used.system) / (BATCH * BATCHES);
    }
  }
  const singles: number[] = [];
  for (let i = 0; i < 20_000; i++) {
    const start = process.hrtime.bigint();
    if (router.score(requests[i % requests.length]!) > threshold) premium++;
    singles.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  if (premium < 0) throw new Error('unreachable');
  singles.sort((x, y) => x - y);
  return { median: means.sort((x, y) => x - y)[Math.floor(BATCHES / 2)]!, cpu, p99: singles[Math.floor(singles.length * 0.99)]! };
}

const rows: string[] = ['| prompt | µs per decision (median of batch means) | CPU µs per decision | p99 of single calls, µs |', '|---|---|---|---|'];
for (const bytes of [200, 2048, 8192]) {
  const requests = Array.from({ length: 64 }, (_, i) => request(prompt(bytes, i + 1)));
  const { median, cpu, p99 } = measure(requests);
  rows.push(`| ${bytes} B${bytes > 6144 ? ' (last 6 KiB read)' : ''} | ${median.toFixed(2)} | ${cpu.toFixed(2)} | ${p99.toFixed(2)} |`);
}
process.stdout.write(`${rows.join('\n')}\n\nnode ${process.version}, ${process.arch}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}; ${new Date().toISOString()}\n`);
