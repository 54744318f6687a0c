import { join } from 'node:path';
import { addRepeats, detect, PlaceholderMap, redactText, valuesOf } from '../../privacy/index.ts';
import { readJsonl, requireFolder } from './data-files.ts';
import { addDocument, type Counts, type Span } from './span-metrics.ts';

interface SecretlintRow {
  rule: string;
  case: string;
  text: string;
  rule_options: { rules?: Array<{ options?: Record<string, unknown> }> } | null;
  has_secret: boolean;
  findings: Array<{ start: number; end: number; matched: string }>;
}

/**
 * secretlint rules that test the linter, not a secret format: a user-written pattern (`pattern`,
 * `example`), disable comments (`filter-comments`), home directories, `.env` files, Kubernetes
 * manifests. They are left out of the scores and counted apart.
 */
const OUT_OF_SCOPE = new Set(['example', 'pattern', 'filter-comments', 'no-homedir', 'no-dotenv', 'no-k8s-kind-secret'].map((r) => `secretlint-rule-${r}`));

/** Cases whose expected answer is a user's choice (an allow-list, a scan turned off), not the text. */
function optionDependent(row: SecretlintRow): boolean {
  const options = row.rule_options?.rules?.flatMap((r) => Object.keys(r.options ?? {})) ?? [];
  return options.some((o) => o === 'allows' || o === 'enableIDScanRule');
}

export interface SecretlintResult {
  rows: number;
  excludedRules: number;
  excludedOptions: number;
  /** Per rule: span counts (overlap) and exact-boundary counts. */
  overlap: Map<string, Counts>;
  exact: Map<string, Counts>;
  /** Rows: with a secret / flagged; without a secret (hard negatives) / flagged. */
  positives: number;
  positivesFlagged: number;
  negatives: number;
  negativesFlagged: number;
  /** Out-of-scope rows where Moat flagged something anyway. */
  outOfScopeFlagged: number;
  goldValues: number;
  leakedValues: number;
}

export function evaluateSecretlint(dataDir: string): SecretlintResult {
  const folder = requireFolder(dataDir, 'secretlint-fixtures');
  const rows = readJsonl<SecretlintRow>(join(folder, 'secretlint_snapshots.jsonl'));
  const result: SecretlintResult = {
    rows: rows.length,
    excludedRules: 0,
    excludedOptions: 0,
    overlap: new Map(),
    exact: new Map(),
    positives: 0,
    positivesFlagged: 0,
    negatives: 0,
    negativesFlagged: 0,
    outOfScopeFlagged: 0,
    goldValues: 0,
    leakedValues: 0,
  };
  for (const row of rows) {
    const first = detect(row.text, ['secret']);
    const findings = addRepeats(row.text, first, valuesOf(row.text, first));
    if (OUT_OF_SCOPE.has(row.rule)) {
      result.excludedRules++;
      if (findings.length > 0) result.outOfScopeFlagged++;
      continue;
    }
    if (optionDependent(row)) {
      result.excludedOptions++;
      continue;
    }
    const rule = row.rule.replace('secretlint-rule-', '');
    const gold: Span[] = row.findings.map((f) => ({ type: rule, start: f.start, end: f.end }));
    const pred: Span[] = findings.map((f) => ({ type: rule, start: f.start, end: f.end }));
    addDocument(result.overlap, gold, pred, 'overlap');
    addDocument(result.exact, gold, pred, 'exact');
    if (row.has_secret) {
      result.positives++;
      if (findings.length > 0) result.positivesFlagged++;
    } else {
      result.negatives++;
      if (findings.length > 0) result.negativesFlagged++;
    }
    const redacted = redactText(row.text, findings, new PlaceholderMap());
    for (const f of row.findings) {
      result.goldValues++;
      if (redacted.includes(f.matched)) result.leakedValues++;
    }
  }
  return result;
}
