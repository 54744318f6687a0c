import { dollarSaving } from './metrics.ts';
import { STRONG_PRICE, WEAK_PRICE } from './run-eval.ts';
import type { RouterEvalReport } from './run-eval.ts';
import type { RouterMetrics } from './metrics.ts';

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

function row(label: string, m: RouterMetrics, interval?: [number, number]): string[] {
  const share = m.shareAt95;
  return [
    label,
    interval ? `${m.apgr.toFixed(3)} [${interval[0].toFixed(2)}, ${interval[1].toFixed(2)}]` : m.apgr.toFixed(3),
    pct(m.cpt50),
    pct(m.cpt80),
    pct(share),
    share === null ? '—' : pct(1 - share),
    share === null ? '—' : pct(dollarSaving(share, STRONG_PRICE, WEAK_PRICE)),
  ];
}

/** The evaluation as a Markdown table, one block of router / random / oracle rows per data set. */
export function formatReport(report: RouterEvalReport): string {
  const header = ['set (pair)', 'n', 'q weak → strong', 'router', 'APGR', 'CPT(50%)', 'CPT(80%)', 'premium share @95%', 'call saving @95%', '$ saving @95%'];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const set of report.sets) {
    const q = set.router.strongQuality > 1.5 ? (x: number) => x.toFixed(2) : (x: number) => pct(x);
    for (const [label, m] of [['Moat', set.router], ['random', set.random], ['length rule', set.length], ['oracle', set.oracle]] as const) {
      const cells = row(label, m, label === 'Moat' ? set.apgrInterval : undefined);
      const first = label === 'Moat' ? [`${set.name} (${set.pair}${set.dropped ? `; ${set.dropped} contaminated dropped` : ''})`, String(set.n), `${q(m.weakQuality)} → ${q(m.strongQuality)}`] : ['', '', ''];
      lines.push(`| ${[...first, ...cells].join(' | ')} |`);
    }
  }
  lines.push('');
  lines.push('APGR of Moat with its 95% bootstrap interval. "length rule": longer prompts go premium first (no model). Oracle APGR can exceed 1: on some prompts the weak model is right and the strong one wrong.');
  lines.push(`Savings are against sending every call to the strong model; $ uses RouteLLM's prices ($${STRONG_PRICE} vs $${WEAK_PRICE} per M tokens, equal tokens per call).`);
  lines.push('');
  lines.push(`Held-out chat prompts labelled by source: AUROC hard vs routine ${report.chat.auroc.toFixed(3)}.`);
  lines.push('');
  lines.push('| pool (held out) | kind | n | premium at premiumShare 0.3 | premium at qualityTarget 0.95 |');
  lines.push('|---|---|---|---|---|');
  for (const p of report.chat.pools) lines.push(`| ${p.source} | ${p.kind} | ${p.n} | ${pct(p.atShare30)} | ${pct(p.atQuality95)} |`);
  lines.push('');
  const w = report.wizardLm;
  lines.push(`WizardLM test set (${w.n} instructions, human difficulty 1–10; NC, evaluation only): Spearman ρ ${w.rho.toFixed(3)} (prompt length alone: ${w.lengthRho.toFixed(3)}).`);
  return `${lines.join('\n')}\n`;
}
