import type { LedgerRow, LedgerStore } from '../storage/index.ts';
import type { LedgerJournal } from './ledger-journal.ts';

export interface LedgerWriterOptions {
  /** A partial batch waits at most this long (default 200 ms). */
  flushMs?: number;
  /** Rows per insert; a full batch is written at once (default 500). */
  batchRows?: number;
  /** Backoff after a failed insert: doubles from `retryMinMs` (default 100) up to `retryMaxMs` (default 10 s). */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** A failed insert or segment removal; the rows stay queued and journaled. */
  onError?: (error: unknown) => void;
}

export interface LedgerWriterStats {
  /** Rows given to `record` since start. */
  recorded: number;
  /** Rows new to the store (duplicates by request id are not counted). */
  written: number;
  /** Rows read back from the journal by `start`. */
  replayed: number;
  /** Rows recorded and not yet confirmed by the store. */
  pending: number;
  /** Inserts that failed. */
  failures: number;
  /** Journal lines that could not be read at start (a torn last line). */
  skippedLines: number;
}

interface Queued {
  row: LedgerRow;
  segment: string;
}

/**
 * Records each row in the journal before returning (durable against kill -9), then writes rows to
 * the store in batches from a timer, never on the caller's path. A journal segment is deleted once
 * every row in it is stored and it is no longer appended to. See decision 0010.
 */
export class LedgerWriter {
  readonly #store: LedgerStore;
  readonly #journal: LedgerJournal;
  readonly #flushMs: number;
  readonly #batchRows: number;
  readonly #retryMinMs: number;
  readonly #retryMaxMs: number;
  readonly #onError: (error: unknown) => void;
  #queue: Queued[] = [];
  /** Per segment: rows appended and rows the store has confirmed. */
  readonly #segments = new Map<string, { appended: number; stored: number }>();
  #timer: NodeJS.Timeout | null = null;
  #timerUrgent = false;
  #flushing: Promise<boolean> | null = null;
  #inFlight = 0;
  #consecutiveFailures = 0;
  #stopping = false;
  #stats = { recorded: 0, written: 0, replayed: 0, failures: 0, skippedLines: 0 };

  constructor(store: LedgerStore, journal: LedgerJournal, options: LedgerWriterOptions = {}) {
    this.#store = store;
    this.#journal = journal;
    this.#flushMs = options.flushMs ?? 200;
    this.#batchRows = options.batchRows ?? 500;
    this.#retryMinMs = options.retryMinMs ?? 100;
    this.#retryMaxMs = options.retryMaxMs ?? 10_000;
    this.#onError = options.onError ?? (() => {});
  }

  get stats(): LedgerWriterStats {
    return { ...this.#stats, pending: this.#queue.length + this.#inFlight };
  }

  /**
   * Writes the journal of a previous run into the store, then deletes it. Rows the store already has
   * are skipped by request id, so a row both stored and journaled before a crash is billed once.
   * Rejects if the store fails; the journal is then kept for the next start.
   */
  async start(): Promise<void> {
    this.#stopping = false;
    for (const { segment, rows, skippedLines } of this.#journal.replay()) {
      for (let i = 0; i < rows.length; i += this.#batchRows) {
        this.#stats.written += await this.#store.insertBatch(rows.slice(i, i + this.#batchRows));
      }
      this.#stats.replayed += rows.length;
      this.#stats.skippedLines += skippedLines;
      this.#journal.retire(segment);
    }
  }

  /** Journals the row (synchronously: once this returns, the row survives kill -9) and queues it. */
  record(row: LedgerRow): void {
    const segment = this.#journal.append(row);
    const progress = this.#segments.get(segment);
    if (progress) progress.appended += 1;
    else this.#segments.set(segment, { appended: 1, stored: 0 });
    this.#queue.push({ row, segment });
    this.#stats.recorded += 1;
    this.#schedule();
  }

  /**
   * Writes every queued row, waiting for a flush already running. Rejects with the store's error and
   * keeps the rows; it is how `stop` drains the queue.
   */
  async flush(): Promise<void> {
    this.#clearTimer();
    if (this.#flushing) await this.#flushing;
    while (this.#queue.length > 0) {
      const done = this.#flushBatch();
      this.#flushing = done.then(() => true, () => false);
      try {
        await done;
      } catch (error) {
        if (!this.#stopping) this.#retryLater();
        throw error;
      } finally {
        this.#flushing = null;
      }
    }
  }

  /** Flushes everything, seals the journal and deletes its stored segments. Rejects if the store fails. */
  async stop(): Promise<void> {
    this.#stopping = true;
    try {
      await this.flush();
    } finally {
      this.#journal.close();
      this.#retireStored();
    }
  }

  #schedule(): void {
    if (this.#stopping || this.#flushing || this.#consecutiveFailures > 0) return;
    const full = this.#queue.length >= this.#batchRows;
    if (this.#timer && (this.#timerUrgent || !full)) return;
    this.#clearTimer();
    this.#setTimer(full ? 0 : this.#flushMs, full);
  }

  #setTimer(ms: number, urgent: boolean): void {
    this.#timerUrgent = urgent;
    this.#timer = setTimeout(() => void this.#flushInBackground(), ms);
    // The writer alone must not keep a process alive; `stop` is what drains it.
    this.#timer.unref();
  }

  #clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  async #flushInBackground(): Promise<void> {
    this.#timer = null;
    if (this.#flushing || this.#stopping) return;
    this.#flushing = this.#flushBatch().then(
      () => true,
      (error: unknown) => {
        this.#onError(error);
        return false;
      },
    );
    const ok = await this.#flushing;
    this.#flushing = null;
    if (this.#stopping) return;
    if (!ok) this.#retryLater();
    else if (this.#queue.length > 0) this.#schedule();
  }

  #retryLater(): void {
    this.#clearTimer();
    this.#setTimer(Math.min(this.#retryMaxMs, this.#retryMinMs * 2 ** (this.#consecutiveFailures - 1)), true);
  }

  /** One batch from the head of the queue; on failure the batch goes back to the head. */
  async #flushBatch(): Promise<void> {
    const batch = this.#queue.splice(0, this.#batchRows);
    this.#inFlight = batch.length;
    try {
      this.#stats.written += await this.#store.insertBatch(batch.map((queued) => queued.row));
    } catch (error) {
      this.#queue = batch.concat(this.#queue);
      this.#stats.failures += 1;
      this.#consecutiveFailures += 1;
      throw error;
    } finally {
      this.#inFlight = 0;
    }
    this.#consecutiveFailures = 0;
    for (const { segment } of batch) this.#segments.get(segment)!.stored += 1;
    this.#retireStored();
  }

  #retireStored(): void {
    for (const [segment, progress] of this.#segments) {
      if (progress.stored < progress.appended || segment === this.#journal.activeSegment) continue;
      this.#segments.delete(segment);
      try {
        this.#journal.retire(segment);
      } catch (error) {
        // Left on disk, the segment is replayed at the next start and skipped by request id.
        this.#onError(error);
      }
    }
  }
}
