/**
 * The crash test's child process: records rows as the gateway would and prints `id <requestId>`
 * only after `record()` returns (the moment the gateway may answer the client), plus `written <n>`
 * as the store confirms rows. The test kills it with SIGKILL mid-run.
 * Usage: node src/metering/crash-harness.ts <sqlite path> <journal dir> <id prefix>
 */
import { writeSync } from 'node:fs';
import { PriceBook } from '../pricing/index.ts';
import { openStorage } from '../storage/index.ts';
import { buildLedgerRow } from './build-ledger-row.ts';
import { LedgerJournal } from './ledger-journal.ts';
import { LedgerWriter } from './ledger-writer.ts';

const [dbPath, journalDir, prefix] = process.argv.slice(2);
if (!dbPath || !journalDir || !prefix) throw new Error('usage: crash-harness.ts <sqlite path> <journal dir> <id prefix>');

const storage = openStorage({ path: dbPath });
await storage.migrate();
const writer = new LedgerWriter(storage.ledger, new LedgerJournal({ dir: journalDir, maxSegmentRows: 150 }), { flushMs: 10, batchRows: 100 });
await writer.start();
const prices = new PriceBook();

// Bounded, so an orphaned child ends by itself.
for (let i = 0; i < 200_000; i++) {
  const requestId = `${prefix}-${i}`;
  const { row } = buildLedgerRow(
    {
      requestId, keyId: 'key-1', tenantId: 'tenant-1', requestedModel: 'fast', servedModel: 'gpt-4.1-2025-04-14', providerName: 'openai',
      providerType: 'openai', usage: { inputTokens: 2006, cachedInputTokens: 1920, cacheWriteTokens: 0, outputTokens: 300, reasoningTokens: 0 },
      usageSource: 'upstream', status: 200, errorCode: null, latencyMs: 12.3, ttftMs: null, routeReason: null, attempts: 1, flags: [], createdAt: Date.now(),
    },
    prices,
  );
  writer.record(row);
  writeSync(1, `id ${requestId}\n`);
  // Let the writer's timers and inserts run between "requests", as they would between HTTP events.
  if (i % 20 === 19) {
    writeSync(1, `written ${writer.stats.written}\n`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
await writer.stop();
await storage.close();
