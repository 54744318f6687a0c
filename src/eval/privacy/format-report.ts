import { benignRate, presidioScores, secretScores, type PrivacyEvalResult } from './run-eval.ts';
import { score, sumCounts, type Scores } from './span-metrics.ts';

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const f3 = (x: number): string => x.toFixed(3);

function row(name: string, o: Scores, e: Scores): string {
  return `| ${name} | ${o.gold} | ${o.pred} | ${f3(o.precision)} | ${f3(o.recall)} | ${f3(o.f1)} | ${f3(e.precision)} | ${f3(e.recall)} | ${f3(e.f1)} |`;
}

const HEADER = ['| type | gold | predicted | P (overlap) | R (overlap) | F1 (overlap) | P (exact) | R (exact) | F1 (exact) |', '|---|---|---|---|---|---|---|---|---|'];

/** The evaluation as Markdown tables (the `moat eval privacy` output, pasted into docs/privacy.md). */
export function formatPrivacyReport(r: PrivacyEvalResult): string {
  const lines: string[] = [];
  const p = r.presidio;
  lines.push(`## presidio-synthetic-pii — ${p.split} split (${p.rows} rows, templates with ${p.split === 'test' ? 'odd' : 'even'} template_id)`, '', ...HEADER);
  const overlap = presidioScores(p, 'overlap');
  const exact = presidioScores(p, 'exact');
  for (const type of ['email', 'phone', 'card', 'iban', 'ssn', 'ip', 'person', 'address']) {
    if (overlap.has(type)) lines.push(row(type, overlap.get(type)!, exact.get(type)!));
  }
  const structured = ['email', 'phone', 'card', 'iban', 'ssn', 'ip'];
  const micro = (counts: typeof p.overlap, types: string[]): Scores => score(sumCounts(types.flatMap((t) => (counts.has(t) ? [counts.get(t)!] : []))));
  lines.push(row('structured (micro)', micro(p.overlap, structured), micro(p.exact, structured)));
  lines.push(row('all (micro)', micro(p.overlap, [...p.overlap.keys()]), micro(p.exact, [...p.exact.keys()])));
  lines.push(
    '',
    `Rows with PII flagged: ${p.rowsWithPiiFlagged}/${p.rowsWithPii} (${pct(p.rowsWithPiiFlagged / Math.max(1, p.rowsWithPii))}); rows without PII flagged: ${p.rowsWithoutPiiFlagged}/${p.rowsWithoutPii}.`,
    `Leakage after redaction (all nine types on): structured types ${pct(p.structuredLeakedChars / Math.max(1, p.structuredGoldChars))} of gold characters (${p.structuredLeakedChars}/${p.structuredGoldChars}), ${p.structuredLeakedValues}/${p.structuredGoldValues} values still verbatim; all scored types ${pct(p.leakedChars / Math.max(1, p.goldChars))} (${p.leakedChars}/${p.goldChars}), ${p.leakedValues}/${p.goldValues} values verbatim. Over-redaction: ${pct(p.overRedactedChars / Math.max(1, p.otherChars))} of unlabelled characters.`,
    '',
  );
  const s = r.secretlint;
  lines.push(`## secretlint-fixtures — ${s.rows - s.excludedRules - s.excludedOptions} rows scored (${s.excludedRules} rows of linter-mechanics rules and ${s.excludedOptions} option-dependent rows left out)`, '', ...HEADER);
  for (const rule of [...s.overlap.keys()].sort()) {
    const o = score(s.overlap.get(rule)!);
    if (o.gold === 0 && o.pred === 0) continue;
    lines.push(row(rule, o, score(s.exact.get(rule)!)));
  }
  lines.push(row('**secrets (micro)**', secretScores(s, 'overlap'), secretScores(s, 'exact')));
  lines.push(
    '',
    `Snippets with a secret flagged: ${s.positivesFlagged}/${s.positives}; hard negatives (no expected finding) flagged: ${s.negativesFlagged}/${s.negatives}; out-of-scope rows flagged: ${s.outOfScopeFlagged}/${s.excludedRules}.`,
    `Leakage after redaction: ${s.leakedValues}/${s.goldValues} expected findings still verbatim.`,
    '',
    '## Benign prompts — false positives of "contains structured PII or a secret" (names and addresses apart)',
    '',
    '| set | prompts | structured/secret flagged | rate | by type | person flagged | address flagged |',
    '|---|---|---|---|---|---|---|',
  );
  for (const b of r.benign) {
    const types = Object.entries(b.byType).map(([t, n]) => `${t} ${n}`).join(', ') || '–';
    lines.push(`| ${b.name} | ${b.prompts} | ${b.structuredFlagged} | ${pct(benignRate(b))} | ${types} | ${pct(benignRate(b, 'person'))} | ${pct(benignRate(b, 'address'))} |`);
  }
  return lines.join('\n');
}
