/**
 * Microbenchmark of the rate-limit check per request (issue 5, target ≤ 30 µs in process): finding the
 * applicable limits, the admission, the response headers and the settlement at the end, with
 * in-process counters; then one Redis admission (a script round trip on loopback) for comparison.
 * Run: `node bench/micro/rate-limit.ts` (node_modules/.bin first on PATH; Redis on 127.0.0.1:6379 for
 * the last rows, skipped when it is not there). Prints a markdown table.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { configSchema } from '../../src/config/index.ts';
import { rateLimitHeaders, RateLimiter, RedisRateLimitStore } from '../../src/ratelimit/index.ts';
import type { AppliedLimits } from '../../src/ratelimit/index.ts';
import { medianMicrosAsync } from './measure.ts';

const BATCH = 20_000;
const BATCHES = 9;
const config = configSchema.parse({
  rateLimits: {
    rules: [
      { match: { tier: 'standard' }, per: 'key', requestsPerMinute: 1_000_000_000, tokensPerMinute: 1_000_000_000, concurrent: 1_000_000 },
      { match: { model: 'gpt-*' }, per: ['tenant', 'model'], requestsPerMinute: 1_000_000_000 },
      { match: { tier: 'free' }, per: 'key', requestsPerMinute: 10 },
    ],
  },
}).rateLimits;
const noRules = configSchema.parse({}).rateLimits;
const callers = Array.from({ length: 1000 }, (_, i) => ({ id: `key-${i}`, tenantId: `tenant-${i % 50}`, tier: 'standard' }));
const unlimited = { id: 'key-x', tenantId: 'tenant-x', tier: 'pro' };
const model = { requested: 'gpt-4o', entryName: 'gpt-*', served: 'openai/gpt-4o' };
const other = { requested: 'llama', entryName: 'llama', served: 'vllm/llama' };

/** Median µs per operation over BATCHES batches (after one warm-up). */
const measure = (op: (i: number) => void | Promise<void>, batch = BATCH): Promise<number> => medianMicrosAsync(op, batch, BATCHES);

const limiter = new RateLimiter();
let n = 0;
/** What the pipeline stage does for a limited request, start to end, minus the token count. */
async function fullCheck(i: number, target = limiter): Promise<void> {
  const limits = target.limitsFor(config, callers[i % callers.length]!, model) as AppliedLimits;
  const admission = await target.admit(limits, 1200, `req-${n++}`, 'failOpen');
  const headers = rateLimitHeaders(admission.view, false, Date.now());
  if (headers.length !== 6 || !admission.allowed) throw new Error('unexpected refusal');
  admission.grant.finish(900);
}

const results: [string, number][] = [
  ['no rules configured: `limitsFor`', await measure(() => void limiter.limitsFor(noRules, unlimited, other))],
  ['rules, none matches this caller: `limitsFor` (cached)', await measure(() => void limiter.limitsFor(config, unlimited, other))],
  ['3 rules match (rpm + tpm + concurrent, rpm per tenant+model): find, admit, headers, settle + release', await measure((i) => fullCheck(i))],
];
await limiter.close();

const lines = ['| in process | µs per request |', '|---|---:|', ...results.map(([what, us]) => `| ${what} | ${us.toFixed(2)} |`)];

const url = process.env.MOAT_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `moat-bench:${randomBytes(4).toString('hex')}:`;
const store = new RedisRateLimitStore({ url, keyPrefix: prefix, commandTimeoutMs: 1000, leaseMs: 30_000 });
if (await store.waitUntilConnected(1000)) {
  const shared = new RateLimiter({ shared: store });
  const sequential = await measure((i) => fullCheck(i, shared), 2000);
  const admitOnly = await measure(async (i) => {
    const limits = shared.limitsFor(config, callers[i % callers.length]!, model) as AppliedLimits;
    await shared.admit(limits, 1200, `req-${n++}`, 'failOpen');
  }, 2000);
  // 64 requests at a time: what one gateway process sustains against one Redis connection.
  const start = process.hrtime.bigint();
  const total = 20_000;
  for (let i = 0; i < total; i += 64) await Promise.all(Array.from({ length: 64 }, (_, j) => fullCheck(i + j, shared)));
  const perSecond = total / (Number(process.hrtime.bigint() - start) / 1e9);
  await shared.close();
  const admin = new Redis(url);
  const keys = await admin.keys(`${prefix}*`);
  if (keys.length > 0) await admin.del(...keys);
  admin.disconnect();
  lines.push('', '| Redis (loopback) | |', '|---|---:|');
  lines.push(`| the admission alone (one script round trip, on the request path): µs | ${admitOnly.toFixed(1)} |`);
  lines.push(`| the whole check one at a time: µs per request (the admission, then settle and release after the response) | ${sequential.toFixed(1)} |`);
  lines.push(`| same check, 64 in flight on one connection: admissions per second | ${Math.round(perSecond)} |`);
} else {
  await store.close();
  lines.push('', `(Redis at ${url} not reachable: Redis rows skipped.)`);
}
lines.push('', `Node ${process.version}; median of ${BATCHES} batches; target ≤ 30 µs for the in-process check (issue 5).`);
console.log(lines.join('\n'));
