import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LedgerJournal } from './ledger-journal.ts';
import { ledgerRow } from './ledger-row.fixture.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'moat-journal-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const replayAll = (journal: LedgerJournal) => [...journal.replay()];

describe('LedgerJournal', () => {
  it('appends one JSON line per row, the cost as a string, and replays rows exactly', () => {
    const journal = new LedgerJournal({ dir });
    const rows = [ledgerRow('a'), ledgerRow('b', { ttftMs: 40, errorCode: 'x', usageSource: 'estimate' })];
    const segment = journal.append(rows[0]!);
    journal.append(rows[1]!);
    const lines = readFileSync(join(dir, segment), 'utf8').split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0]!).costMicros).toBe('9007199254740993');
    journal.close();
    expect(replayAll(new LedgerJournal({ dir }))).toEqual([{ segment, rows, skippedLines: 0 }]);
  });

  it('rotates by row count and by size; a new journal never appends to an old segment', () => {
    const journal = new LedgerJournal({ dir, maxSegmentRows: 2 });
    const segments = ['a', 'b', 'c'].map((id) => journal.append(ledgerRow(id)));
    expect(segments[0]).toBe(segments[1]);
    expect(segments[2]).not.toBe(segments[1]);
    expect(journal.activeSegment).toBe(segments[2]);
    const bySize = new LedgerJournal({ dir, maxSegmentBytes: 1 });
    const next = bySize.append(ledgerRow('d'));
    expect(next > segments[2]!).toBe(true);
    expect(bySize.activeSegment).toBeNull();
    expect(journal.segments()).toEqual([segments[0], segments[2], next]);
  });

  it('replay skips the active segment', () => {
    const journal = new LedgerJournal({ dir, maxSegmentRows: 2 });
    for (const id of ['a', 'b', 'c']) journal.append(ledgerRow(id));
    expect(replayAll(journal).map((s) => s.rows.map((r) => r.requestId))).toEqual([['a', 'b']]);
  });

  it('skips a torn last line and a garbled line, keeping the rest', () => {
    const journal = new LedgerJournal({ dir });
    const segment = journal.append(ledgerRow('a'));
    journal.append(ledgerRow('b'));
    journal.close();
    appendFileSync(join(dir, segment), 'not json\n{"requestId":"c","costMicros":"1"');
    const [replayed] = replayAll(new LedgerJournal({ dir }));
    expect(replayed!.rows.map((r) => r.requestId)).toEqual(['a', 'b']);
    expect(replayed!.skippedLines).toBe(2);
  });

  it('retire deletes a segment, sealing it if active, and refuses other names', () => {
    const journal = new LedgerJournal({ dir });
    const segment = journal.append(ledgerRow('a'));
    journal.retire(segment);
    expect(journal.activeSegment).toBeNull();
    expect(readdirSync(dir)).toEqual([]);
    expect(() => journal.retire('../moat.db')).toThrow(/not a segment/);
    expect(journal.append(ledgerRow('b'))).not.toBe(segment);
  });
});
