import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { LedgerRow } from '../storage/index.ts';

export const DEFAULT_JOURNAL_DIR = '.moat/journal';

export interface LedgerJournalOptions {
  /** Default `.moat/journal` (relative to the working directory). One process per folder. */
  dir?: string;
  /** A segment is sealed once it holds this many bytes (default 4 MiB) … */
  maxSegmentBytes?: number;
  /** … or this many rows (default 10,000), whichever comes first. */
  maxSegmentRows?: number;
}

/** One segment's rows, as replayed. */
export interface JournalSegment {
  segment: string;
  rows: LedgerRow[];
  /** Lines that did not parse: a torn last line from a crash mid-write. */
  skippedLines: number;
}

const SEGMENT_NAME = /^ledger-(\d{12})\.jsonl$/;

/**
 * Append-only JSON-lines journal of ledger rows, in numbered segment files. `append` is one
 * `writeSync`: the line is in the OS page cache before it returns, so killing the process cannot lose
 * it. No fsync — power loss is out of scope (decision 0010). A new process never appends to an old
 * segment (it may end in a torn line), it opens the next number.
 */
export class LedgerJournal {
  readonly dir: string;
  readonly #maxBytes: number;
  readonly #maxRows: number;
  #nextNumber: number;
  #fd: number | null = null;
  #active: string | null = null;
  #bytes = 0;
  #rows = 0;

  constructor(options: LedgerJournalOptions = {}) {
    this.dir = options.dir ?? DEFAULT_JOURNAL_DIR;
    this.#maxBytes = options.maxSegmentBytes ?? 4 * 1024 * 1024;
    this.#maxRows = options.maxSegmentRows ?? 10_000;
    mkdirSync(this.dir, { recursive: true });
    const last = this.segments().at(-1);
    this.#nextNumber = last === undefined ? 1 : Number(SEGMENT_NAME.exec(last)![1]) + 1;
  }

  /** The segment being appended to; null until the first append and after each rotation. */
  get activeSegment(): string | null {
    return this.#active;
  }

  /** Segment file names, oldest first. */
  segments(): string[] {
    return readdirSync(this.dir).filter((name) => SEGMENT_NAME.test(name)).sort();
  }

  /** Writes one line and returns the segment it went to. */
  append(row: LedgerRow): string {
    if (this.#fd === null) this.#openNext();
    const segment = this.#active!;
    const money = { costMicros: row.costMicros.toString(), baselineCostMicros: row.baselineCostMicros === null || row.baselineCostMicros === undefined ? null : row.baselineCostMicros.toString() };
    const line = Buffer.from(`${JSON.stringify({ ...row, ...money })}\n`, 'utf8');
    for (let written = 0; written < line.length; ) written += writeSync(this.#fd!, line, written);
    this.#bytes += line.length;
    this.#rows += 1;
    if (this.#bytes >= this.#maxBytes || this.#rows >= this.#maxRows) this.#seal();
    return segment;
  }

  /** Every row of every sealed segment, one segment at a time, oldest first. */
  *replay(): Generator<JournalSegment> {
    for (const segment of this.segments()) {
      if (segment === this.#active) continue;
      yield readSegment(join(this.dir, segment), segment);
    }
  }

  /** Deletes a segment whose rows are all in the database; seals it first if it is the active one. */
  retire(segment: string): void {
    if (!SEGMENT_NAME.test(segment)) throw new Error(`ledger journal: not a segment name: ${segment}`);
    if (segment === this.#active) this.#seal();
    unlinkSync(join(this.dir, segment));
  }

  close(): void {
    this.#seal();
  }

  #openNext(): void {
    const segment = `ledger-${String(this.#nextNumber++).padStart(12, '0')}.jsonl`;
    // 'ax': a segment is only ever created, never reopened.
    this.#fd = openSync(join(this.dir, segment), 'ax');
    this.#active = segment;
    this.#bytes = 0;
    this.#rows = 0;
  }

  #seal(): void {
    if (this.#fd !== null) closeSync(this.#fd);
    this.#fd = null;
    this.#active = null;
  }
}

function readSegment(path: string, segment: string): JournalSegment {
  const rows: LedgerRow[] = [];
  let skippedLines = 0;
  const lines = readFileSync(path, 'utf8').split('\n');
  // The text after the last newline is empty, or a line the crash cut short.
  if (lines.pop() !== '') skippedLines += 1;
  for (const line of lines) {
    const row = decodeLine(line);
    if (row) rows.push(row);
    else skippedLines += 1;
  }
  return { segment, rows, skippedLines };
}

function decodeLine(line: string): LedgerRow | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const fields = value as Record<string, unknown>;
  if (typeof fields.requestId !== 'string' || typeof fields.costMicros !== 'string' || !/^\d+$/.test(fields.costMicros)) return null;
  // Journals written before the savings column have no baselineCostMicros: null, as in the database.
  const baseline = typeof fields.baselineCostMicros === 'string' && /^-?\d+$/.test(fields.baselineCostMicros) ? BigInt(fields.baselineCostMicros) : null;
  return { ...fields, costMicros: BigInt(fields.costMicros), baselineCostMicros: baseline } as unknown as LedgerRow;
}
