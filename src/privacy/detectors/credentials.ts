import type { Finding } from '../entities.ts';

/** Passwords that are documentation, not secrets: `user:password@`, `${PASSWORD}`, `xxxx`. */
const PLACEHOLDER_WORDS = /^(?:my)?(?:password|passwd|pwd|secret|changeme|example|test|admin|user(?:name)?|root|redacted|hidden|none|null|\*+|x+)$/i;
const TEMPLATE_MARK = /[${}<>%]|^(?:your|replace|insert|enter|put)[_-]?|[_-](?:here|placeholder)$|x{4,}|\*{3,}|\.{3}/i;

function placeholderPassword(password: string, user: string): boolean {
  return (
    password.length < 4 ||
    password === user ||
    PLACEHOLDER_WORDS.test(password) ||
    TEMPLATE_MARK.test(password) ||
    new Set(password).size < 3
  );
}

/** scheme://user:password@host — the password must not be a placeholder. http(s)/ftp passwords stop at `@`. */
const URL_CREDENTIALS = /(?<![A-Za-z0-9+.-])([a-z][a-z0-9+.-]{1,24}):\/\/([^\s:@/"'<>()[\]]{1,64}):([^\s/"'<>]{1,128})@([A-Za-z0-9][A-Za-z0-9.-]*|\[)/gi;
const WEB_SCHEMES = /^(?:https?|ftps?|sftp|wss?)$/i;

export function detectUrlCredentials(text: string, out: Finding[]): void {
  if (!text.includes('://')) return;
  URL_CREDENTIALS.lastIndex = 0;
  for (let m = URL_CREDENTIALS.exec(text); m !== null; m = URL_CREDENTIALS.exec(text)) {
    const [, scheme, user, password] = m as unknown as [string, string, string, string];
    if (WEB_SCHEMES.test(scheme) && password.includes('@')) continue;
    if (placeholderPassword(password, user)) continue;
    const start = m.index + scheme.length + 3 + user.length + 1;
    out.push({ type: 'secret', start, end: start + password.length, rule: 'url-password' });
  }
}

/** `password = "…"`, `PGPASSWORD=…`, `Pwd=…;` in code, config and connection strings. */
const ASSIGNMENT = /(?:pass(?:word|wd)?|pwd|secret|api[_-]?key|apikey|access[_-]?token|auth[_-]?token|private[_-]?key)["']?[ \t]*(?:=>|:=|=|:)[ \t]*(["']?)([^\s"',;`]{6,128})\1/gi;

function plausibleSecretValue(value: string): boolean {
  if (placeholderPassword(value, '')) return false;
  if (/^[A-Za-z_][\w.]*\(|^(?:os|process|env|self|this|config|settings|true|false|null|undefined)\b|^\W|[[\](){}]/.test(value)) return false;
  // `request.body.new_password`: a member expression in code, not a value.
  if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value) && !/\d/.test(value)) return false;
  const letters = /[A-Za-z]/.test(value);
  const digits = /\d/.test(value);
  const symbols = /[^A-Za-z0-9]/.test(value);
  return letters && (digits || symbols) && new Set(value).size >= 5;
}

export function detectAssignedSecrets(text: string, out: Finding[]): void {
  ASSIGNMENT.lastIndex = 0;
  for (let m = ASSIGNMENT.exec(text); m !== null; m = ASSIGNMENT.exec(text)) {
    const value = m[2]!;
    if (!plausibleSecretValue(value)) continue;
    const start = m.index + m[0].length - m[1]!.length - value.length;
    out.push({ type: 'secret', start, end: start + value.length, rule: 'assigned-secret' });
  }
}

const KEY_BEGIN = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY( BLOCK)?-----/g;
const KEY_BODY = /^(?:[A-Za-z0-9+/=\s]|\\[nr]|[A-Za-z-]+: [^\n\\]*)*/;

/** PEM / OpenSSH private keys, also inside JSON strings (`\n` escapes); the body must look like a key. */
export function detectPrivateKeys(text: string, out: Finding[]): void {
  if (!text.includes('PRIVATE KEY')) return;
  KEY_BEGIN.lastIndex = 0;
  for (let m = KEY_BEGIN.exec(text); m !== null; m = KEY_BEGIN.exec(text)) {
    const bodyStart = m.index + m[0].length;
    const body = KEY_BODY.exec(text.slice(bodyStart, bodyStart + 16384))![0];
    const base64 = body.replace(/\\[nr]|\s/g, '');
    if (base64.length < 64 || new Set(base64).size < 16) continue;
    let end = bodyStart + body.length;
    const footer = /^-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/.exec(text.slice(end));
    if (footer) end += footer[0].length;
    out.push({ type: 'secret', start: m.index, end, rule: 'private-key' });
    KEY_BEGIN.lastIndex = end;
  }
}
