/**
 * Microbenchmark of the ledger's batched inserts (`LedgerStore.insertBatch`, idempotent by request
 * id) on each storage backend: rows per second for batches of 100 and 1000, with
 * request ids as the gateway issues them (growing with time) and with random ones. PostgreSQL is the server
 * the contract tests use (MOAT_BENCH_POSTGRES_URL to change it), in a schema of its own, dropped after.
 * Run: `node bench/micro/ledger-insert.ts` (node_modules/.bin first on PATH). Prints a markdown table.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { openStorage } from '../../src/storage/index.ts';
import type { LedgerRow, Storage } from '../../src/storage/index.ts';
import { newRequestId } from '../../src/server/request-id.ts';

const POSTGRES_URL = process.env.MOAT_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const BATCH_SIZES = [100, 1000];

interface Backend {
  name: string;
  rows: number;
  open(): Promise<{ storage: Storage; cleanup(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'sqlite (file, WAL)',
    rows: 200_000,
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'moat-bench-'));
      return { storage: openStorage({ path: join(dir, 'moat.db') }), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'sqlite (:memory:)',
    rows: 200_000,
    async open() {
      return { storage: openStorage({ path: ':memory:' }), cleanup: async () => {} };
    },
  },
  {
    name: 'postgresql',
    rows: 50_000,
    async open() {
      const admin = postgres(POSTGRES_URL, { max: 1, connect_timeout: 5, onnotice: () => {} });
      const schema = `moat_bench_${randomBytes(6).toString('hex')}`;
      await admin.unsafe(`create schema ${schema}`);
      return {
        storage: openStorage({ url: POSTGRES_URL, schema }),
        cleanup: async () => {
          await admin.unsafe(`drop schema ${schema} cascade`);
          await admin.end();
        },
      };
    },
  },
];

function row(requestId: string, i: number): LedgerRow {
  return {
    requestId, keyId: `key-${i % 50}`, tenantId: `tenant-${i % 5}`, requestedModel: 'gpt-4o', servedModel: 'gpt-4o-2024-08-06',
    provider: 'openai', inputTokens: 1200 + (i % 300), cachedInputTokens: 1024, cacheWriteTokens: 0, outputTokens: 300, reasoningTokens: 0,
    costMicros: 4_550n + BigInt(i % 1000), usageSource: 'upstream', latencyMs: 850, ttftMs: 210, status: 200, errorCode: null,
    routeReason: null, attempts: 1, flags: null, baselineCostMicros: null, createdAt: Date.UTC(2030, 0, 1) + i * 1000,
  };
}

/** Request ids as the gateway issues them (growing with time), or random ones as it did before. */
const ID_KINDS = {
  gateway: (n: number) => newRequestId(START_MS + n),
  random: () => `req_${randomUUID().replaceAll('-', '')}`,
};
type IdKind = keyof typeof ID_KINDS;
const START_MS = Date.now();

async function measure(storage: Storage, batchSize: number, total: number, ids: IdKind): Promise<number> {
  const nextId = ID_KINDS[ids];
  let issued = 0;
  const batch = () =>
    Array.from({ length: batchSize }, () => {
      const n = issued++;
      return row(nextId(n), n);
    });
  await storage.ledger.insertBatch(batch()); // warm-up: statement caches, JIT
  const batches = Array.from({ length: total / batchSize }, () => batch());
  const start = process.hrtime.bigint();
  for (const rows of batches) await storage.ledger.insertBatch(rows);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const lines = ['| backend | request ids | batch | rows | rows/s | ms per batch |', '|---|---|---:|---:|---:|---:|'];
// Each kind of id starts on an empty database, so neither inherits the other's table.
for (const backend of backends) {
  for (const ids of Object.keys(ID_KINDS) as IdKind[]) {
    let opened: Awaited<ReturnType<Backend['open']>>;
    try {
      opened = await backend.open();
      await opened.storage.migrate();
    } catch (error) {
      lines.push(`| ${backend.name} | ${ids} | – | – | unreachable: ${error instanceof Error ? error.message : String(error)} | – |`);
      continue;
    }
    for (const size of BATCH_SIZES) {
      const ms = await measure(opened.storage, size, backend.rows, ids);
      lines.push(`| ${backend.name} | ${ids} | ${size} | ${backend.rows} | ${Math.round((backend.rows / ms) * 1000).toLocaleString('en-US')} | ${((ms * size) / backend.rows).toFixed(2)} |`);
    }
    await opened.storage.close();
    await opened.cleanup();
  }
}
lines.push('', `Node ${process.version}; each row has 19 columns, idempotent insert statements of at most 100 rows (a batch of 1000 is ten).`);
console.log(lines.join('\n'));
