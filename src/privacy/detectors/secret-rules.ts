/**
 * Secret formats, written here from the vendors' documented token shapes (decision 0017 says why not
 * secretlint's packages). Each rule has cheap `keywords`: its regex runs only on text that contains one.
 */
export interface SecretRule {
  readonly id: string;
  readonly keywords: readonly string[];
  readonly pattern: RegExp;
  /** Index of the capture group that is the secret; 0 = the whole match. */
  readonly group?: number;
  /** Rejects a match that is a placeholder or a look-alike. */
  readonly accept?: (secret: string, match: RegExpExecArray) => boolean;
  /** The match spans words (a variable name, `=`, the value): run on the whole text, not per token. */
  readonly context?: boolean;
  /** A token that may hold none of the scan's trigger characters: its regex runs on the whole text. */
  readonly anywhere?: boolean;
}

const NOT_ALNUM_BEFORE = '(?<![A-Za-z0-9])';
const NOT_ALNUM_AFTER = '(?![A-Za-z0-9])';

function token(source: string): RegExp {
  return new RegExp(`${NOT_ALNUM_BEFORE}${source}${NOT_ALNUM_AFTER}`, 'g');
}

/** Many distinct characters: real keys are random, placeholders repeat. */
function varied(value: string, min = 6): boolean {
  return new Set(value).size >= min;
}

export const SECRET_RULES: readonly SecretRule[] = [
  { id: 'openai', keywords: ['T3BlbkFJ'], pattern: token('sk-(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{10,}T3BlbkFJ[A-Za-z0-9_-]{10,}') },
  { id: 'anthropic', keywords: ['sk-ant-'], pattern: token('sk-ant-[a-z]{2,8}\\d{2}-[A-Za-z0-9_-]{32,}') },
  { id: 'aws-access-key', keywords: ['AKIA', 'ASIA', 'ABIA', 'ACCA', 'A3T'], pattern: token('(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}'), anywhere: true },
  {
    id: 'aws-secret-key',
    keywords: ['ecret', 'ECRET'],
    pattern: /aws[\w.-]{0,20}?secret[\w.-]{0,20}?["']?\s*(?:=>|:=|=|:)\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi,
    group: 1,
    accept: (s) => varied(s, 12),
    context: true,
  },
  { id: 'aws-account-id', keywords: ['ccount'], pattern: /aws_?account_?id["']?\s*(?:=>|:=|=|:)\s*["']?(\d{4}-?\d{4}-?\d{4})(?!\d)/gi, group: 1, context: true },
  { id: 'gcp-api-key', keywords: ['AIza'], pattern: token('AIza[0-9A-Za-z_-]{35}'), anywhere: true },
  { id: 'github', keywords: ['gh', 'github_pat_'], pattern: token('(?:gh[pousr]_[A-Za-z0-9_]{30,}(?:\\.[A-Za-z0-9_-]+){0,2}|github_pat_[A-Za-z0-9_]{22,})') },
  { id: 'gitlab', keywords: ['gl'], pattern: token('gl(?:pat|ptt|dt|rt|cbt|soat|ffct|imt)-[A-Za-z0-9_-]{20,}') },
  { id: 'slack-token', keywords: ['xox', 'xapp-'], pattern: token('(?:xox[abposre]-[0-9]{6,}-[A-Za-z0-9-]{6,}|xapp-\\d-[A-Za-z0-9-]{20,})') },
  { id: 'slack-webhook', keywords: ['hooks.slack.com'], pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9+/_-]{8,}/g },
  { id: 'stripe', keywords: ['_live_', '_test_', 'whsec_'], pattern: token('(?:(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{24,}|whsec_[A-Za-z0-9]{32,})') },
  { id: 'sendgrid', keywords: ['SG.'], pattern: /(?<![A-Za-z0-9])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g },
  { id: 'shopify', keywords: ['shp'], pattern: token('shp(?:ss|at|ca|pa)_[A-Za-z0-9]{32,}') },
  { id: 'npm', keywords: ['npm_'], pattern: token('npm_[A-Za-z0-9]{36}') },
  { id: 'huggingface', keywords: ['hf_'], pattern: token('hf_[A-Za-z]{34}') },
  { id: 'groq', keywords: ['gsk_'], pattern: token('gsk_[A-Za-z0-9]{52}') },
  { id: 'databricks', keywords: ['dapi'], pattern: token('dapi[a-fA-F0-9]{32}(?:-\\d)?') },
  { id: 'docker', keywords: ['dckr_pat_'], pattern: token('dckr_pat_[A-Za-z0-9_-]{27,}') },
  { id: 'figma', keywords: ['figd_'], pattern: token('figd_[A-Za-z0-9_-]{40,}') },
  { id: 'grafana', keywords: ['glc_', 'glsa_'], pattern: /(?<![A-Za-z0-9])(?:glc_[A-Za-z0-9+/]{32,}={0,2}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})(?![A-Za-z0-9])/g },
  { id: 'hashicorp-vault', keywords: ['hvs.', 'hvb.', 'hvr.'], pattern: token('hv[sbr]\\.[A-Za-z0-9_-]{24,}') },
  { id: 'linear', keywords: ['lin_api_'], pattern: token('lin_api_[A-Za-z0-9]{40,}') },
  { id: 'notion', keywords: ['ntn_'], pattern: token('ntn_\\d{11}[A-Za-z0-9]{35}') },
  { id: '1password', keywords: ['ops_eyJ'], pattern: token('ops_eyJ[A-Za-z0-9+/=_-]{100,}') },
  { id: 'tailscale', keywords: ['tskey-'], pattern: /(?<![A-Za-z])tskey-[a-z]+-[A-Za-z0-9]{6,}-[A-Za-z0-9]{10,}/g },
  { id: 'vercel', keywords: ['vc'], pattern: token('vc[piark]_[A-Za-z0-9]{24,}') },
  { id: 'cloudflare', keywords: ['cfat_', 'cfut_', 'cfk_'], pattern: token('cf(?:at|ut|k)_[A-Za-z0-9]{40}[a-f0-9]{8}') },
  { id: 'jwt', keywords: ['eyJ'], pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, anywhere: true },
  {
    id: 'secp256k1-private-key',
    keywords: ['0x'],
    pattern: /(?<![A-Za-z0-9])0x([0-9a-fA-F]{64})(?![0-9A-Za-z])/g,
    group: 1,
    accept: (s) => varied(s, 8),
  },
  {
    id: 'azure',
    keywords: ['zure', 'ZURE', 'ad_tenant'],
    pattern: /(?:azure[_-]?|ad[_-]?)(?:tenant|client)[_-]?(?:id|secret)["']?\s*(?:=>|:=|=|:)\s*["']?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[A-Za-z0-9_~.-]{34,40})/gi,
    group: 1,
    accept: (s) => varied(s, 8),
    context: true,
  },
];
