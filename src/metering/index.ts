export { billableUsage } from './billable-usage.ts';
export type { AnswerEvidence, BillableUsage } from './billable-usage.ts';
export { buildLedgerRow } from './build-ledger-row.ts';
export { recordCostMetrics } from './cost-metrics.ts';
export type { BuiltLedgerRow, LedgerRowInput, SavingsBaseline } from './build-ledger-row.ts';
export { DEFAULT_JOURNAL_DIR, LedgerJournal } from './ledger-journal.ts';
export type { JournalSegment, LedgerJournalOptions } from './ledger-journal.ts';
export { LedgerWriter } from './ledger-writer.ts';
export type { LedgerWriterOptions, LedgerWriterStats } from './ledger-writer.ts';
