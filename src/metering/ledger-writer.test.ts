import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openStorage } from '../storage/index.ts';
import type { LedgerRow, LedgerStore, Storage } from '../storage/index.ts';
import { LedgerJournal } from './ledger-journal.ts';
import { ledgerRow } from './ledger-row.fixture.ts';
import { LedgerWriter } from './ledger-writer.ts';

/** The real store, with a switch to make it fail and a record of batch sizes. */
class FlakyStore implements LedgerStore {
  failing = false;
  readonly batches: number[] = [];
  readonly #inner: LedgerStore;
  constructor(inner: LedgerStore) {
    this.#inner = inner;
  }
  async insertBatch(rows: readonly LedgerRow[]): Promise<number> {
    if (this.failing) throw new Error('database is down');
    this.batches.push(rows.length);
    return this.#inner.insertBatch(rows);
  }
  get: LedgerStore['get'] = (id) => this.#inner.get(id);
  spend: LedgerStore['spend'] = (query) => this.#inner.spend(query);
}

let dir: string;
let storage: Storage;
let store: FlakyStore;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'moat-writer-'));
  storage = openStorage({ path: ':memory:' });
  await storage.migrate();
  store = new FlakyStore(storage.ledger);
});
afterEach(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

const countRows = async () => Number((await storage.db.selectFrom('usage_ledger').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
const ids = (n: number, prefix = 'r') => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

describe('LedgerWriter', () => {
  it('writes nothing on the caller\'s path, then full batches at once and a partial one on stop', async () => {
    const writer = new LedgerWriter(store, new LedgerJournal({ dir }), { batchRows: 3, flushMs: 60_000 });
    await writer.start();
    for (const id of ids(7)) writer.record(ledgerRow(id));
    expect(writer.stats).toMatchObject({ recorded: 7, pending: 7, written: 0 });
    await vi.waitFor(() => expect(writer.stats.written).toBe(6));
    expect(writer.stats.pending).toBe(1);
    await writer.stop();
    expect(store.batches).toEqual([3, 3, 1]);
    expect(writer.stats).toMatchObject({ written: 7, pending: 0, failures: 0 });
    expect(await countRows()).toBe(7);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('flushes a partial batch after flushMs and deletes sealed segments once stored', async () => {
    const journal = new LedgerJournal({ dir, maxSegmentRows: 2 });
    const writer = new LedgerWriter(store, journal, { flushMs: 20 });
    for (const id of ids(5)) writer.record(ledgerRow(id));
    expect(journal.segments()).toHaveLength(3);
    await vi.waitFor(() => expect(writer.stats.written).toBe(5));
    expect(store.batches).toEqual([5]);
    expect(journal.segments()).toEqual([journal.activeSegment]);
    await writer.stop();
    expect(journal.segments()).toEqual([]);
  });

  it('the same request id recorded twice is one row', async () => {
    const writer = new LedgerWriter(store, new LedgerJournal({ dir }));
    writer.record(ledgerRow('dup', { outputTokens: 1 }));
    writer.record(ledgerRow('dup', { outputTokens: 2 }));
    await writer.stop();
    expect(await countRows()).toBe(1);
    expect(writer.stats).toMatchObject({ recorded: 2, written: 1 });
    expect((await storage.ledger.get('dup'))!.outputTokens).toBe(1);
  });

  it('start replays the journal; rows the store already has are not written again', async () => {
    const journal = new LedgerJournal({ dir, maxSegmentRows: 4 });
    const rows = ids(10).map((id) => ledgerRow(id));
    for (const row of rows) journal.append(row);
    journal.close();
    await storage.ledger.insertBatch(rows.slice(0, 6));
    const writer = new LedgerWriter(store, new LedgerJournal({ dir }), { batchRows: 3 });
    await writer.start();
    expect(writer.stats).toMatchObject({ replayed: 10, written: 4 });
    expect(await countRows()).toBe(10);
    expect(readdirSync(dir)).toEqual([]);
    expect(await storage.ledger.get('r-9')).toEqual(rows[9]);
  });

  it('keeps rows through a database failure and retries with backoff until it recovers', async () => {
    const errors: unknown[] = [];
    const journal = new LedgerJournal({ dir });
    const writer = new LedgerWriter(store, journal, { flushMs: 1, retryMinMs: 5, retryMaxMs: 20, onError: (e) => errors.push(e) });
    store.failing = true;
    for (const id of ids(3)) writer.record(ledgerRow(id));
    await vi.waitFor(() => expect(writer.stats.failures).toBeGreaterThanOrEqual(3));
    expect(writer.stats.pending).toBe(3);
    expect(journal.segments()).toHaveLength(1);
    expect(String(errors[0])).toMatch(/database is down/);
    writer.record(ledgerRow('during-outage'));
    store.failing = false;
    await vi.waitFor(() => expect(writer.stats.written).toBe(4));
    expect(writer.stats.pending).toBe(0);
    await writer.stop();
    expect(await countRows()).toBe(4);
  });

  it('stop rejects while the database is down, and the journal carries the rows to the next start', async () => {
    const writer = new LedgerWriter(store, new LedgerJournal({ dir }), { flushMs: 60_000 });
    for (const id of ids(3)) writer.record(ledgerRow(id));
    store.failing = true;
    await expect(writer.stop()).rejects.toThrow(/database is down/);
    store.failing = false;
    const next = new LedgerWriter(store, new LedgerJournal({ dir }));
    await next.start();
    expect(next.stats).toMatchObject({ replayed: 3, written: 3 });
    expect(await countRows()).toBe(3);
  });
});
