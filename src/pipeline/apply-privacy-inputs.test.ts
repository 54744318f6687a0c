import { describe, expect, it } from 'vitest';
import { MoatError } from '../errors/index.ts';
import type { PolicyRule } from '../privacy/index.ts';
import { applyPrivacyToInputs } from './apply-privacy-inputs.ts';
import type { Call, Target } from './call.ts';

function call(policies: PolicyRule[]): Call {
  return { runtime: { config: { privacy: { policies } } }, key: { id: 'config:k', tenantId: 'default' }, flags: [] } as unknown as Call;
}
const premium = { entry: { tier: 'premium' } } as unknown as Target;
const local = { entry: { tier: 'local' } } as unknown as Target;
const TEXTS = ['mail ana@example.org', 'key sk_live_51HqLyjWDarjtT1zdp7dcXYZabc', 'nothing'];

describe('applyPrivacyToInputs (embeddings, count_tokens)', () => {
  it('redacts each input with placeholders shared across inputs, and flags the types', () => {
    const c = call([{ entities: { email: 'redact', secret: 'redact' } }]);
    expect(applyPrivacyToInputs(c, [...TEXTS, 'again ana@example.org'], premium)).toEqual(['mail [EMAIL_1]', 'key [SECRET_1]', 'nothing', 'again [EMAIL_1]']);
    expect(c.flags.sort()).toEqual(['pii_redacted:email', 'pii_redacted:secret']);
  });

  it('blocks, or keeps local: refused unless the target is local', () => {
    expect(() => applyPrivacyToInputs(call([{ entities: { secret: 'block' } }]), TEXTS, premium)).toThrow(expect.objectContaining({ code: 'pii_blocked', param: 'privacy.secret' }));
    const keep = call([{ entities: { email: 'local-only' } }]);
    expect(() => applyPrivacyToInputs(keep, TEXTS, premium)).toThrow(MoatError);
    expect(applyPrivacyToInputs(keep, TEXTS, local)).toEqual(TEXTS);
  });

  it('passes everything through without a matching policy', () => {
    expect(applyPrivacyToInputs(call([{ key: 'config:other', entities: { email: 'block' } }]), TEXTS, premium)).toEqual(TEXTS);
  });
});
