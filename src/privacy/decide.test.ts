import { describe, expect, it } from 'vitest';
import type { CanonicalMessage, CanonicalRequest } from '../canonical/index.ts';
import { decidePrivacy, privacyFlags } from './decide.ts';
import { restoreText } from './restore.ts';

function request(messages: CanonicalMessage[]): CanonicalRequest {
  return { model: 'm', stream: false, includeUsage: false, messages, options: {} };
}
const user = (text: string): CanonicalMessage => ({ role: 'user', parts: [{ type: 'text', text }] });
const assistant = (text: string): CanonicalMessage => ({ role: 'assistant', parts: [{ type: 'text', text }] });

const TURN_1 = [
  { role: 'system', parts: [{ type: 'text', text: 'Support agent. Escalations go to lead@corp.example.' }] } as CanonicalMessage,
  user('I am at ana@example.org, card 4111 1111 1111 1111.'),
];

describe('decidePrivacy', () => {
  it('redacts with typed placeholders numbered by first appearance, system message included', () => {
    const d = decidePrivacy(request(TURN_1), { email: 'redact', card: 'redact' });
    expect(d.kind).toBe('redact');
    if (d.kind !== 'redact') return;
    expect(d.messages.map((m) => (m.parts[0] as { text: string }).text)).toEqual([
      'Support agent. Escalations go to [EMAIL_1].',
      'I am at [EMAIL_2], card [CARD_1].',
    ]);
    expect(restoreText('write to [EMAIL_2]', d.map)).toBe('write to ana@example.org');
  });

  it('keeps placeholders stable across the turns a client resends', () => {
    const first = decidePrivacy(request(TURN_1), { email: 'redact', card: 'redact' });
    const second = decidePrivacy(request([...TURN_1, assistant('Noted ana@example.org.'), user('Also bo@example.net and ana@example.org')]), { email: 'redact', card: 'redact' });
    if (first.kind !== 'redact' || second.kind !== 'redact') throw new Error('expected redaction');
    const texts = second.messages.map((m) => (m.parts[0] as { text: string }).text);
    expect(texts.slice(0, 2)).toEqual(first.messages.map((m) => (m.parts[0] as { text: string }).text));
    expect(texts.slice(2)).toEqual(['Noted [EMAIL_2].', 'Also [EMAIL_3] and [EMAIL_2]']);
  });

  it('scans tool-call arguments and tool results, keeping the arguments valid JSON', () => {
    const d = decidePrivacy(
      request([
        user('look up the customer'),
        { role: 'assistant', parts: [{ type: 'tool-call', id: 'c1', name: 'lookup', arguments: '{"email":"ana@example.org"}' }] },
        { role: 'tool', parts: [{ type: 'tool-result', toolCallId: 'c1', content: [{ type: 'text', text: 'SSN 123-45-6789' }] }] },
      ]),
      { email: 'redact', ssn: 'redact' },
    );
    if (d.kind !== 'redact') throw new Error('expected redaction');
    expect(d.messages[1]!.parts[0]).toMatchObject({ arguments: '{"email":"[EMAIL_1]"}' });
    expect(d.messages[2]!.parts[0]).toMatchObject({ content: [{ type: 'text', text: 'SSN [SSN_1]' }] });
  });

  it('block beats local-only beats redact; log only reports', () => {
    const req = request([user('key sk_live_51HqLyjWDarjtT1zdp7dcXYZabc for ana@example.org')]);
    expect(decidePrivacy(req, { secret: 'block', email: 'local-only' })).toMatchObject({ kind: 'block', blocked: 'secret' });
    expect(decidePrivacy(req, { secret: 'local-only', email: 'redact' })).toMatchObject({ kind: 'local-only', reasons: ['secret'] });
    expect(decidePrivacy(req, { secret: 'log', email: 'log' })).toMatchObject({ kind: 'pass' });
    expect(decidePrivacy(request([user('nothing here')]), { email: 'block' })).toEqual({ kind: 'pass', found: [] });
  });

  it('redacts only the types whose action is redact', () => {
    const d = decidePrivacy(request([user('ana@example.org from 84.17.35.2')]), { email: 'redact', ip: 'log' });
    if (d.kind !== 'redact') throw new Error('expected redaction');
    expect((d.messages[0]!.parts[0] as { text: string }).text).toBe('[EMAIL_1] from 84.17.35.2');
    expect(new Set(d.found)).toEqual(new Set(['email', 'ip']));
  });

  it('redacts a value everywhere once it is found anywhere in the request', () => {
    const d = decidePrivacy(request([user('Dear Mr. Okonkwo, welcome.'), assistant('Okonkwo is now registered.'), user('Thanks')]), { person: 'redact' });
    if (d.kind !== 'redact') throw new Error('expected redaction');
    expect(d.messages.map((m) => (m.parts[0] as { text: string }).text)).toEqual(['Dear Mr. [PERSON_1], welcome.', '[PERSON_1] is now registered.', 'Thanks']);
  });

  it('flags the types the winning action applied to, and only sees the others', () => {
    const req = request([user('key sk_live_51HqLyjWDarjtT1zdp7dcXYZabc for ana@example.org')]);
    expect(privacyFlags(decidePrivacy(req, { secret: 'local-only', email: 'redact' })).sort()).toEqual(['pii:email', 'pii_local:secret']);
    expect(privacyFlags(decidePrivacy(req, { secret: 'block', email: 'log' })).sort()).toEqual(['pii:email', 'pii_blocked:secret']);
    expect(privacyFlags(decidePrivacy(req, { secret: 'redact', email: 'log' })).sort()).toEqual(['pii:email', 'pii_redacted:secret']);
  });
});
