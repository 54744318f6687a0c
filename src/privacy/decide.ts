import type { CanonicalMessage, CanonicalRequest } from '../canonical/index.ts';
import { detect } from './detect.ts';
import type { EntityType, Finding } from './entities.ts';
import { mapRequestTexts } from './map-request-texts.ts';
import { PlaceholderMap } from './placeholders.ts';
import type { EntityPolicy } from './policy.ts';
import { redactText } from './redact-text.ts';
import { addRepeats, valuesOf } from './repeats.ts';

export type PrivacyDecision =
  | { kind: 'pass'; found: EntityType[] }
  | { kind: 'block'; found: EntityType[]; blocked: EntityType }
  | { kind: 'local-only'; found: EntityType[]; reasons: EntityType[] }
  | { kind: 'redact'; found: EntityType[]; redacted: EntityType[]; messages: CanonicalMessage[]; user: string | undefined; map: PlaceholderMap };

/** Which action wins when several types are found: refusing beats keeping local beats redacting. */
const ORDER = ['block', 'local-only', 'redact', 'log'] as const;

/**
 * Scans every text of the request for the types the policy names and decides. Pure: the pipeline stage
 * (src/pipeline/apply-privacy.ts) turns the decision into an error, a tier requirement or a rewrite.
 */
export function decidePrivacy(request: CanonicalRequest, policy: EntityPolicy): PrivacyDecision {
  const types = Object.keys(policy) as EntityType[];
  if (types.length === 0) return { kind: 'pass', found: [] };
  const map = new PlaceholderMap();
  const findings = new Map<string, Finding[]>();
  const found = new Set<EntityType>();
  mapRequestTexts(request, (text) => {
    map.reserveFrom(text);
    if (!findings.has(text)) {
      const hits = detect(text, types);
      findings.set(text, hits);
      for (const f of hits) found.add(f.type);
    }
    return text;
  });
  const foundList = [...found];
  const withAction = (action: string): EntityType[] => foundList.filter((t) => policy[t] === action);
  for (const action of ORDER) {
    const hit = withAction(action);
    if (hit.length === 0) continue;
    if (action === 'block') return { kind: 'block', found: foundList, blocked: hit[0]! };
    if (action === 'local-only') return { kind: 'local-only', found: foundList, reasons: hit };
    if (action === 'redact') {
      const redactable = new Set(hit);
      const own = (text: string): Finding[] => findings.get(text)!.filter((f) => redactable.has(f.type));
      // Every value found anywhere in the request is redacted everywhere in it.
      const values = new Map<string, EntityType>();
      for (const text of findings.keys()) valuesOf(text, own(text), values);
      const { messages, user } = mapRequestTexts(request, (text) => redactText(text, addRepeats(text, own(text), values), map));
      return { kind: 'redact', found: foundList, redacted: hit, messages, user, map };
    }
  }
  return { kind: 'pass', found: foundList };
}

/**
 * The ledger flags of a decision, types only: the types the winning action was applied to carry it
 * (`pii_blocked:ssn`, `pii_local:secret`, `pii_redacted:email`), the others are only seen (`pii:ip`).
 */
export function privacyFlags(decision: PrivacyDecision): string[] {
  const acted: readonly EntityType[] =
    decision.kind === 'block' ? [decision.blocked] : decision.kind === 'local-only' ? decision.reasons : decision.kind === 'redact' ? decision.redacted : [];
  const tag = decision.kind === 'block' ? 'pii_blocked' : decision.kind === 'local-only' ? 'pii_local' : 'pii_redacted';
  return decision.found.map((type) => (acted.includes(type) ? `${tag}:${type}` : `pii:${type}`));
}
