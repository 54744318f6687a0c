import type { CanonicalRequest } from '../canonical/index.ts';
import { MoatError } from '../errors/index.ts';
import { decidePrivacy, privacyFlags, selectPolicy } from '../privacy/index.ts';
import type { Call, Target } from './call.ts';

/**
 * The privacy stage for endpoints whose answer holds no text to restore: `/v1/embeddings` (vectors)
 * and `/v1/messages/count_tokens` (a count). `texts` are what the upstream would receive; the result is
 * what it may receive instead: unchanged, or with typed placeholders under `redact` (an embedding of
 * the redacted text). `block` refuses with `pii_blocked`; `local-only` refuses with `no_local_target`
 * unless `target` is on the local tier (these endpoints have no fallback to look for one).
 * Not yet called by the handlers: each needs one line (docs/privacy.md, Limits).
 */
export function applyPrivacyToInputs(call: Call, texts: readonly string[], target: Target): string[] {
  const rules = call.runtime.config.privacy.policies;
  const policy = rules.length === 0 ? null : selectPolicy(rules, { keyId: call.key?.id ?? null, tenantId: call.key?.tenantId ?? null });
  if (policy === null) return [...texts];
  const request: CanonicalRequest = {
    model: '',
    stream: false,
    includeUsage: false,
    options: {},
    messages: texts.map((text) => ({ role: 'user', parts: [{ type: 'text', text }] })),
  };
  const decision = decidePrivacy(request, policy);
  call.flags.push(...privacyFlags(decision));
  switch (decision.kind) {
    case 'block':
      throw new MoatError('pii_blocked', `The request contains data of type \`${decision.blocked}\`, which this key's privacy policy blocks. Remove it and retry.`, {
        param: `privacy.${decision.blocked}`,
      });
    case 'local-only':
      if (target.entry.tier === 'local') return [...texts];
      throw new MoatError('no_local_target', `This request must stay on the local tier (privacy policy: ${decision.reasons.join(', ')} found) and its model is not a local one; nothing was sent.`);
    case 'redact':
      return decision.messages.map((m) => (m.parts[0] as { text: string }).text);
    case 'pass':
      return [...texts];
  }
}
