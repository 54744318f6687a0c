/**
 * The phone detector's errors on the Presidio tuning split only (even template_id; the odd, test
 * templates are never read here): gold numbers no phone finding overlaps (and what finding, if any,
 * took their place after overlap resolution), and phone findings that overlap no gold number.
 * Dev-only: `node scripts/phone-tune-errors.ts [--data ../shared/data]`.
 */
import { join, resolve } from 'node:path';
import { detect } from '../src/privacy/index.ts';
import { readJsonl } from '../src/eval/privacy/data-files.ts';
import { splitOf } from '../src/eval/privacy/presidio.ts';

interface Row {
  text: string;
  template_id: number;
  spans: Array<{ entity_type: string; start: number; end: number; value: string }>;
}

const i = process.argv.indexOf('--data');
const data = resolve(i === -1 ? '../shared/data' : process.argv[i + 1]!);
const rows = readJsonl<Row>(join(data, 'presidio-synthetic-pii', 'synth_dataset_v2.jsonl')).filter((r) => splitOf(r.template_id) === 'tune');
let gold = 0;
let found = 0;
let predicted = 0;
let right = 0;
for (const row of rows) {
  const findings = detect(row.text);
  const phones = row.spans.filter((s) => s.entity_type === 'PHONE_NUMBER');
  for (const g of phones) {
    gold++;
    const over = findings.filter((f) => f.start < g.end && f.end > g.start);
    if (over.some((f) => f.type === 'phone')) found++;
    else console.log(`missed\t${JSON.stringify(g.value)}\ttaken by: ${over.map((f) => `${f.type} ${JSON.stringify(row.text.slice(f.start, f.end))}`).join(', ') || 'nothing'}\t${JSON.stringify(row.text)}`);
  }
  for (const f of findings) {
    if (f.type !== 'phone') continue;
    predicted++;
    if (phones.some((g) => f.start < g.end && f.end > g.start)) right++;
    else {
      const labels = row.spans.filter((s) => f.start < s.end && f.end > s.start).map((s) => s.entity_type);
      console.log(`extra\t${JSON.stringify(row.text.slice(f.start, f.end))}\tover: ${labels.join(', ') || 'nothing'}\t${JSON.stringify(row.text)}`);
    }
  }
}
console.log(`tuning split: ${rows.length} rows; phone gold ${gold}, found ${found}; predicted ${predicted}, right ${right}`);
