/**
 * Microbenchmark of the SLA's hot path (issue 6 part 3): `SlaTracker.record` per upstream attempt, in
 * process and with a Redis outbox; then the off-path work: a report over every window (what
 * `GET /admin/sla` and each evaluation do), and one push to Redis. Run: `npm run bench:sla`
 * (node_modules/.bin first on PATH; Redis on 127.0.0.1:6379 for the last rows, skipped when absent).
 * Prints a markdown table.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { configSchema } from '../../src/config/index.ts';
import { OUTCOME_CLASSES, SlaTracker } from '../../src/sla/index.ts';
import { createLogger } from '../../src/telemetry/index.ts';
import { medianMicrosAsync } from './measure.ts';

const BATCH = 200_000;
const BATCHES = 9;
const logger = createLogger('silent', new Writable({ write: (_c, _e, done) => done() }));
const upstreams = Array.from({ length: 8 }, (_, i) => `provider-${i}`);
// Realistic samples: mostly ok, latencies spread over four decades, TTFT on half.
const samples = Array.from({ length: 4096 }, (_, i) => {
  const ok = i % 20 !== 0;
  return { outcome: ok ? ('ok' as const) : OUTCOME_CLASSES[1 + (i % 5)]!, latencyMs: 5 + ((i * 7919) % 30_000) / (1 + (i % 7)), ttftMs: i % 2 === 0 ? 50 + (i % 900) : null };
});

/** Median µs per operation over BATCHES batches (after one warm-up). */
const measure = (op: (i: number) => void | Promise<void>, batch = BATCH): Promise<number> => medianMicrosAsync(op, batch, BATCHES);

function tracker(redisUrl?: string, keyPrefix = 'moat-bench:sla:'): SlaTracker {
  const config = configSchema.parse({ sla: redisUrl ? { redis: { url: redisUrl, keyPrefix } } : {} });
  return new SlaTracker({ settings: config.sla, logger, config: () => config });
}

const record = (t: SlaTracker) => (i: number): void => {
  const s = samples[i & 4095]!;
  t.record(upstreams[i & 7]!, { at: Date.now(), outcome: s.outcome, latencyMs: s.latencyMs, ttftMs: s.ttftMs });
};

const rows: [string, string][] = [];
const local = tracker();
rows.push(['`record`, in process (8 upstreams, 4 096 varied samples)', `${(await measure(record(local))).toFixed(3)} µs`]);
rows.push(['`report()`: 8 upstreams × windows 1m/5m/1h, local, samples in the last few slices (off the hot path)', `${(await measure(() => local.report().then(() => {}), 200)).toFixed(1)} µs`]);
// Steady state of a busy gateway: every 10 s slice of the last hour holds samples for every upstream.
const full = tracker();
const hourAgo = Date.now() - 3_600_000;
for (let i = 0; i < 8 * 360 * 50; i++) {
  const s = samples[i & 4095]!;
  full.record(upstreams[i & 7]!, { at: hourAgo + Math.floor(i / 8 / 50) * 10_000 + 5000, outcome: s.outcome, latencyMs: s.latencyMs, ttftMs: s.ttftMs });
}
// The sums are tight loops that reach full speed only after a few hundred calls: warm up first.
for (let i = 0; i < 300; i++) await full.report();
rows.push(['`report()`: 8 upstreams × 1m/5m/1h, local, every slice of the hour filled (after warm-up)', `${(await measure(() => full.report().then(() => {}), 50)).toFixed(0)} µs`]);
await full.close();

const redisUrl = process.env.MOAT_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const probe = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false });
const reachable = await probe.connect().then(() => true, () => false);
if (reachable) {
  const prefix = `moat-bench:sla:${randomBytes(4).toString('hex')}:`;
  const shared = tracker(redisUrl, prefix);
  await new Promise((r) => setTimeout(r, 200));
  rows.push(['`record`, Redis configured (local ring + outbox)', `${(await measure(record(shared))).toFixed(3)} µs`]);
  // One push of one second's worth at 2 000 attempts/s across 8 upstreams (what the 1 s flush sends).
  let pushes = 0;
  const pushMs = await measure(async (i) => {
    for (let j = 0; j < 2000; j++) record(shared)(i * 2000 + j);
    const start = process.hrtime.bigint();
    await shared.flush();
    pushes += Number(process.hrtime.bigint() - start);
  }, 20);
  rows.push(['one flush to Redis: 1 s of 2 000 attempts over 8 upstreams (one script call; off the hot path)', `${(pushes / (20 * (BATCHES + 1)) / 1e6).toFixed(2)} ms mean (with the 2 000 records: ${(pushMs / 1000).toFixed(2)} ms median)`]);
  rows.push(['`report()` merged from Redis, 8 upstreams × 1m/5m/1h (settled slices cached)', `${(await measure(() => shared.report().then(() => {}), 50)).toFixed(0)} µs`]);
  await shared.close();
  const keys = await probe.keys(`${prefix}*`);
  if (keys.length > 0) await probe.del(...keys);
}
probe.disconnect();
await local.close();

console.log('| operation | median |\n|---|---|');
for (const [name, value] of rows) console.log(`| ${name} | ${value} |`);
