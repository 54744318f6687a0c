import type { Finding } from '../entities.ts';

const LOCAL_CHAR = /[A-Za-z0-9._%+-]/;
/** The domain after `@`, matched in place (sticky) so only the text around each `@` is examined. */
const DOMAIN = /(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z0-9-])/y;

/** Emails: from each `@`, the local part is read backwards and the domain forwards. */
export function detectEmails(text: string, out: Finding[]): void {
  let at = text.indexOf('@');
  let after = 0;
  while (at !== -1) {
    let start = at;
    while (start > after && at - start < 64 && LOCAL_CHAR.test(text[start - 1]!)) start--;
    // The local part starts with a letter or digit, not a dot or a sign.
    while (start < at && !/[A-Za-z0-9]/.test(text[start]!)) start++;
    DOMAIN.lastIndex = at + 1;
    const domain = start < at ? DOMAIN.exec(text) : null;
    // `git@github.com` and the like are SSH remotes, not someone's address.
    if (domain !== null && text.slice(start, at) !== 'git') {
      const end = at + 1 + domain[0].length;
      out.push({ type: 'email', start, end });
      after = end;
    }
    at = text.indexOf('@', at + 1);
  }
}
