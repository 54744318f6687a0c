import { join } from 'node:path';
import { addRepeats, detect, PlaceholderMap, redactText, valuesOf, type EntityType } from '../../privacy/index.ts';
import { readJsonl, requireFolder } from './data-files.ts';
import { addDocument, type Counts, type Span } from './span-metrics.ts';

interface PresidioRow {
  text: string;
  template_id: number;
  spans: Array<{ entity_type: string; start: number; end: number; value: string }>;
}

/** Presidio's labels for the types Moat detects; the others (GPE, ORGANIZATION, DATE_TIME…) are not scored. */
const LABELS: Record<string, EntityType> = {
  EMAIL_ADDRESS: 'email',
  PHONE_NUMBER: 'phone',
  CREDIT_CARD: 'card',
  IBAN_CODE: 'iban',
  US_SSN: 'ssn',
  IP_ADDRESS: 'ip',
  PERSON: 'person',
  STREET_ADDRESS: 'address',
};

const STRUCTURED = new Set(['email', 'phone', 'card', 'iban', 'ssn', 'ip']);

/** Templates with an odd id are the test split; the detectors were only ever tuned on the even ones. */
export type Split = 'test' | 'tune';
export function splitOf(templateId: number): Split {
  return templateId % 2 === 1 ? 'test' : 'tune';
}

export interface PresidioResult {
  split: Split;
  rows: number;
  overlap: Map<string, Counts>;
  exact: Map<string, Counts>;
  /** Rows with any gold span of a scored type, and how many of those Moat flagged (any type). */
  rowsWithPii: number;
  rowsWithPiiFlagged: number;
  rowsWithoutPii: number;
  rowsWithoutPiiFlagged: number;
  /** Non-space characters of gold values of scored types, and those still readable after redaction. */
  goldChars: number;
  leakedChars: number;
  /** Gold values (scored types) that still appear verbatim in the redacted text. */
  goldValues: number;
  leakedValues: number;
  /** The same two leakage counts over the structured types only (email, phone, card, IBAN, SSN, IP). */
  structuredGoldChars: number;
  structuredLeakedChars: number;
  structuredGoldValues: number;
  structuredLeakedValues: number;
  /** Characters outside every gold span (of any label), and those Moat redacted. */
  otherChars: number;
  overRedactedChars: number;
}

export function evaluatePresidio(dataDir: string, split: Split): PresidioResult {
  const folder = requireFolder(dataDir, 'presidio-synthetic-pii');
  const rows = readJsonl<PresidioRow>(join(folder, 'synth_dataset_v2.jsonl')).filter((r) => splitOf(r.template_id) === split);
  const result: PresidioResult = {
    split,
    rows: rows.length,
    overlap: new Map(),
    exact: new Map(),
    rowsWithPii: 0,
    rowsWithPiiFlagged: 0,
    rowsWithoutPii: 0,
    rowsWithoutPiiFlagged: 0,
    goldChars: 0,
    leakedChars: 0,
    goldValues: 0,
    leakedValues: 0,
    structuredGoldChars: 0,
    structuredLeakedChars: 0,
    structuredGoldValues: 0,
    structuredLeakedValues: 0,
    otherChars: 0,
    overRedactedChars: 0,
  };
  for (const row of rows) {
    const gold: Span[] = row.spans.flatMap((s) => (LABELS[s.entity_type] ? [{ type: LABELS[s.entity_type]!, start: s.start, end: s.end }] : []));
    // As the stage does: a value found once counts wherever it recurs in the text.
    const first = detect(row.text);
    const findings = addRepeats(row.text, first, valuesOf(row.text, first));
    addDocument(result.overlap, gold, findings, 'overlap');
    addDocument(result.exact, gold, findings, 'exact');
    if (gold.length > 0) {
      result.rowsWithPii++;
      if (findings.length > 0) result.rowsWithPiiFlagged++;
    } else {
      result.rowsWithoutPii++;
      if (findings.length > 0) result.rowsWithoutPiiFlagged++;
    }
    const covered = new Uint8Array(row.text.length);
    for (const f of findings) covered.fill(1, f.start, f.end);
    const labelled = new Uint8Array(row.text.length);
    for (const s of row.spans) labelled.fill(1, s.start, s.end);
    for (const g of gold) {
      const structured = STRUCTURED.has(g.type);
      for (let i = g.start; i < g.end; i++) {
        if (/\s/.test(row.text[i]!)) continue;
        result.goldChars++;
        if (structured) result.structuredGoldChars++;
        if (covered[i] === 0) {
          result.leakedChars++;
          if (structured) result.structuredLeakedChars++;
        }
      }
    }
    for (let i = 0; i < row.text.length; i++) {
      if (labelled[i] === 1) continue;
      result.otherChars++;
      if (covered[i] === 1) result.overRedactedChars++;
    }
    const redacted = redactText(row.text, findings, new PlaceholderMap());
    for (const g of gold) {
      const leaked = redacted.includes(row.text.slice(g.start, g.end));
      result.goldValues++;
      if (leaked) result.leakedValues++;
      if (STRUCTURED.has(g.type)) {
        result.structuredGoldValues++;
        if (leaked) result.structuredLeakedValues++;
      }
    }
  }
  return result;
}
