import { z } from 'zod';
import { ENTITY_TYPES, type EntityType } from './entities.ts';
import { PRIVACY_ACTIONS } from './policy.ts';

const action = z.enum(PRIVACY_ACTIONS, { error: `must be one of ${PRIVACY_ACTIONS.join(', ')}` });

const entitiesShape = Object.fromEntries(ENTITY_TYPES.map((t) => [t, action.optional()])) as Record<EntityType, z.ZodOptional<typeof action>>;

const policySchema = z.strictObject({
  tenant: z.string().min(1).optional().describe('A tenant id (`default` for keys in `auth.keys`); absent: any tenant.'),
  key: z.string().min(1).optional().describe('A key id (`config:<name>` for keys in `auth.keys`); absent: any key.'),
  entities: z.strictObject(entitiesShape).describe('What to do per entity type found: `local-only`, `redact`, `block` or `log`; types not listed are not scanned.'),
});

export const privacySchema = z.strictObject({
  policies: z.array(policySchema).default([]).describe('Checked in order; the first whose `tenant` and `key` match the caller applies. No match: no scan.'),
});

export const DEFAULT_PRIVACY = { policies: [] };
export type PrivacyConfig = z.infer<typeof privacySchema>;
