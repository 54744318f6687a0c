import type { CanonicalRequest } from '../canonical/index.ts';
import { MoatError } from '../errors/index.ts';
import { decidePrivacy, privacyFlags, RestoreFilter, selectPolicy, type PrivacyDecision } from '../privacy/index.ts';
import type { Call } from './call.ts';

/**
 * The privacy stage (docs/privacy.md), after decoding and the veil, before routing. The caller's
 * policy (`privacy.policies`) names what to look for and what to do:
 * - `block`: refuse with `pii_blocked`, naming the type;
 * - `local-only`: the request keeps its values and may go to `local`-tier targets only (routing
 *   fails closed with `no_local_target`);
 * - `redact`: values become typed placeholders in the canonical request (which is then what the
 *   upstream receives: `forceTranslation`), and a response filter puts them back in the answer;
 * - `log`: only a flag on the ledger row.
 * Flags carry types, never values (`pii_redacted:email`, `pii_local:secret`, `pii_blocked:ssn`, and
 * `pii:<type>` for a type found but not acted on); nothing here logs text.
 */
export function applyPrivacy(call: Call, request: CanonicalRequest): void {
  const decision = decideForCaller(call, request);
  if (decision === null) return;
  switch (decision.kind) {
    case 'local-only':
      call.requiredTier = 'local';
      call.requiredTierReason = `privacy policy: ${decision.reasons.join(', ')} found`;
      return;
    case 'redact': {
      request.messages = decision.messages;
      if (decision.user !== undefined) request.options.user = decision.user;
      call.forceTranslation = true;
      const { map } = decision;
      call.responseFilters.push(() => new RestoreFilter(map));
      return;
    }
    case 'pass':
      return;
  }
}

/**
 * The caller's policy (`privacy.policies`) applied to `request`, its flags put on the call; null when
 * no policy covers the caller. A `block` is thrown here as `pii_blocked`, naming the type only.
 */
export function decideForCaller(call: Call, request: CanonicalRequest): Exclude<PrivacyDecision, { kind: 'block' }> | null {
  const rules = call.runtime.config.privacy.policies;
  if (rules.length === 0) return null;
  const policy = selectPolicy(rules, { keyId: call.key?.id ?? null, tenantId: call.key?.tenantId ?? null });
  if (policy === null) return null;
  const decision = decidePrivacy(request, policy);
  call.flags.push(...privacyFlags(decision));
  if (decision.kind === 'block') {
    throw new MoatError('pii_blocked', `The request contains data of type \`${decision.blocked}\`, which this key's privacy policy blocks. Remove it and retry.`, {
      param: `privacy.${decision.blocked}`,
    });
  }
  return decision;
}
