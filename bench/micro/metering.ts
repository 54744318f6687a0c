/**
 * Microbenchmark of the metering and ledger path per request (issue 4, target ≤ 50 µs): building the
 * priced row, `LedgerWriter.record` (journal line with writeSync + queue), and both with the batched
 * insert into SQLite (file, WAL) included. Run: `node bench/micro/metering.ts` (node_modules/.bin
 * first on PATH). Prints a markdown table.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLedgerRow, LedgerJournal, LedgerWriter } from '../../src/metering/index.ts';
import type { LedgerRowInput } from '../../src/metering/index.ts';
import { PriceBook } from '../../src/pricing/index.ts';
import { openStorage } from '../../src/storage/index.ts';

const BATCH = 2000;
const BATCHES = 9;
const dir = mkdtempSync(join(tmpdir(), 'moat-bench-metering-'));
const storage = openStorage({ path: join(dir, 'moat.db') });
await storage.migrate();
const writer = new LedgerWriter(storage.ledger, new LedgerJournal({ dir: join(dir, 'journal') }), { flushMs: 60_000, batchRows: 500 });
await writer.start();
const prices = new PriceBook();

let n = 0;
const input = (): LedgerRowInput => ({
  requestId: `bench-${n++}`, keyId: 'key-1', tenantId: 'tenant-1', requestedModel: 'smart', servedModel: 'o3-2025-04-16', providerName: 'openai',
  providerType: 'openai', usage: { inputTokens: 3000, cachedInputTokens: 2047, cacheWriteTokens: 0, outputTokens: 1501, reasoningTokens: 1024 },
  usageSource: 'upstream', status: 200, errorCode: null, latencyMs: 812.4, ttftMs: 95.5, routeReason: null, attempts: 1, flags: [], createdAt: Date.now(),
});

/** Median µs per request over BATCHES batches (after one warm-up); `between` runs untimed unless `timed`. */
async function measure(fn: () => void, between: () => Promise<void>, timed = false): Promise<number> {
  const samples: number[] = [];
  for (let b = -1; b < BATCHES; b++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < BATCH; i++) fn();
    if (timed) await between();
    const ns = Number(process.hrtime.bigint() - start);
    if (!timed) await between();
    if (b >= 0) samples.push(ns / BATCH / 1000);
  }
  return samples.sort((a, b) => a - b)[Math.floor(BATCHES / 2)]!;
}

const flush = () => writer.flush();
const built = () => buildLedgerRow(input(), prices).row;
const ready = () => Array.from({ length: BATCH }, built);
let rows = ready();
let i = 0;
const next = async () => {
  await flush();
  rows = ready();
  i = 0;
};

const results: [string, number][] = [
  ['buildLedgerRow (priced)', await measure(built, async () => {})],
  ['record() — journal writeSync + queue', await measure(() => writer.record(rows[i++]!), next)],
  ['buildLedgerRow + record()', await measure(() => writer.record(built()), flush)],
  ['… + batched SQLite insert (500 rows), amortised', await measure(() => writer.record(built()), flush, true)],
];
await writer.stop();
await storage.close();
rmSync(dir, { recursive: true, force: true });

const lines = ['| step | µs per request |', '|---|---:|', ...results.map(([what, us]) => `| ${what} | ${us.toFixed(2)} |`)];
lines.push('', `Node ${process.version}; median of ${BATCHES} batches of ${BATCH}; target ≤ 50 µs (issue 4).`);
console.log(lines.join('\n'));
