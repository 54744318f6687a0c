import type { Finding } from '../entities.ts';
import { detectAssignedSecrets, detectPrivateKeys, detectUrlCredentials } from './credentials.ts';
import { SECRET_RULES, type SecretRule } from './secret-rules.ts';

/** Rules whose match spans words (`AWS_SECRET_ACCESS_KEY = …`): run on the whole text when it names one. */
const CONTEXT_RULES = SECRET_RULES.filter((r) => r.context === true);
const CONTEXT_HINT = /\b(?:aws|azure|ad[_-]?(?:tenant|client))/i;
/** Rules for single tokens (no spaces): run only on long whitespace-free runs of the text. */
const TOKEN_RULES = SECRET_RULES.filter((r) => r.context !== true && r.anywhere !== true);
const ANYWHERE_RULES = SECRET_RULES.filter((r) => r.anywhere === true);
/** The shortest token any TOKEN_RULES pattern matches (an AWS access key id). */
const MIN_TOKEN = 20;
/**
 * Every token format of TOKEN_RULES holds a digit, `_`, `-` or `/` in its fixed part (Tailscale keys
 * only `-`, Slack webhooks only `/`): tokens are looked at only where one of these occurs, so long
 * ordinary words cost nothing. Formats that may lack them (AWS and GCP keys, JWTs) are ANYWHERE_RULES.
 */
const TRIGGER = /[\d_/-]/g;

function isSpace(code: number): boolean {
  return code <= 32 || code === 0xa0;
}

function run(rule: SecretRule, text: string, offset: number, out: Finding[]): void {
  rule.pattern.lastIndex = 0;
  for (let m = rule.pattern.exec(text); m !== null; m = rule.pattern.exec(text)) {
    const group = rule.group ?? 0;
    const value = m[group]!;
    if (rule.accept && !rule.accept(value, m)) continue;
    const start = offset + (group === 0 ? m.index : m.index + m[0].lastIndexOf(value));
    out.push({ type: 'secret', start, end: start + value.length, rule: rule.id });
  }
}

/**
 * Every secret rule. Prose is mostly short words, so token rules look only at whitespace-free runs of
 * MIN_TOKEN characters or more that hold a TRIGGER character, each rule gated on its keywords: a 10 KB
 * prompt costs one scan for those characters plus a few regexes on the rare long tokens.
 */
export function detectSecrets(text: string, out: Finding[]): void {
  TRIGGER.lastIndex = 0;
  for (let m = TRIGGER.exec(text); m !== null; m = TRIGGER.exec(text)) {
    let start = m.index;
    while (start > 0 && !isSpace(text.charCodeAt(start - 1))) start--;
    let end = m.index + 1;
    while (end < text.length && !isSpace(text.charCodeAt(end))) end++;
    TRIGGER.lastIndex = end;
    if (end - start < MIN_TOKEN) continue;
    const token = text.slice(start, end);
    for (const rule of TOKEN_RULES) if (rule.keywords.some((k) => token.includes(k))) run(rule, token, start, out);
  }
  for (const rule of ANYWHERE_RULES) run(rule, text, 0, out);
  if (CONTEXT_HINT.test(text)) for (const rule of CONTEXT_RULES) run(rule, text, 0, out);
  detectPrivateKeys(text, out);
  detectUrlCredentials(text, out);
  detectAssignedSecrets(text, out);
}
