import type { EntityType } from './entities.ts';

/** What to do when a type is found. */
export const PRIVACY_ACTIONS = ['local-only', 'redact', 'block', 'log'] as const;
export type PrivacyAction = (typeof PRIVACY_ACTIONS)[number];

export type EntityPolicy = Partial<Record<EntityType, PrivacyAction>>;

export interface PolicyRule {
  /** A tenant id; absent: any tenant. */
  tenant?: string;
  /** A key id (`config:<name>` for keys in `auth.keys`); absent: any key. */
  key?: string;
  entities: EntityPolicy;
}

/** The first rule whose tenant and key match the caller, or null (no privacy scan). */
export function selectPolicy(rules: readonly PolicyRule[], caller: { keyId: string | null; tenantId: string | null }): EntityPolicy | null {
  for (const rule of rules) {
    if (rule.tenant !== undefined && rule.tenant !== caller.tenantId) continue;
    if (rule.key !== undefined && rule.key !== caller.keyId) continue;
    return rule.entities;
  }
  return null;
}
