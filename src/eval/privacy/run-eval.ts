import { evaluateBenign, type BenignResult } from './benign.ts';
import { evaluatePresidio, type PresidioResult, type Split } from './presidio.ts';
import { evaluateSecretlint, type SecretlintResult } from './secretlint.ts';
import { score, sumCounts, type Scores } from './span-metrics.ts';

export interface PrivacyEvalResult {
  presidio: PresidioResult;
  secretlint: SecretlintResult;
  benign: BenignResult[];
}

export function runPrivacyEval(dataDir: string, split: Split = 'test'): PrivacyEvalResult {
  return { presidio: evaluatePresidio(dataDir, split), secretlint: evaluateSecretlint(dataDir), benign: evaluateBenign(dataDir) };
}

/** Overlap-matched scores per Presidio type. */
export function presidioScores(result: PresidioResult, matching: 'overlap' | 'exact' = 'overlap'): Map<string, Scores> {
  const counts = matching === 'overlap' ? result.overlap : result.exact;
  return new Map([...counts].map(([type, c]) => [type, score(c)]));
}

/** Secrets over every in-scope secretlint rule (micro). */
export function secretScores(result: SecretlintResult, matching: 'overlap' | 'exact' = 'overlap'): Scores {
  return score(sumCounts((matching === 'overlap' ? result.overlap : result.exact).values()));
}

export function benignRate(b: BenignResult, what: 'structured' | 'person' | 'address' = 'structured'): number {
  const n = what === 'structured' ? b.structuredFlagged : what === 'person' ? b.personFlagged : b.addressFlagged;
  return b.prompts === 0 ? 0 : n / b.prompts;
}
