import { z } from 'zod';
import { MoatError } from '../errors/index.ts';
import { generateApiKey } from '../keys/generate-key.ts';
import type { ApiKey } from '../storage/index.ts';
import type { AdminHandler, AdminStores } from './admin-context.ts';
import { AdminValidationError, parseAdminInput } from './admin-validation.ts';
import { keyView } from './admin-views.ts';
import { metadataSchema, resolveTenant } from './tenant-handlers.ts';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

const createKeyBody = z.strictObject({
  tenant: z.string().min(1),
  name: z.string().trim().min(1).max(200),
  tier: z.string().min(1).max(64).optional(),
  class: z.enum(['internal', 'external']).optional(),
  allowedModels: z.array(z.string().min(1)).min(1).optional(),
  metadata: metadataSchema.optional(),
  expiresAt: z
    .string()
    .refine((s) => ISO_DATE.test(s) && !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 date, e.g. 2030-01-31 or 2030-01-31T00:00:00Z')
    .transform((s) => Date.parse(s))
    .optional(),
});

const listKeysQuery = z.object({ tenant: z.string().min(1).optional() });

/** Where a new key's secret is, in the body: shown once, never again. */
const SHOWN_ONCE = 'Store this key now: Moat keeps only its hash and will not show it again.';

/** `POST /admin/keys` → the key in clear, once, and its record. */
export const createKey: AdminHandler = async ({ stores, now }, { body }) => {
  const input = parseAdminInput(createKeyBody, body, 'body');
  if (input.expiresAt !== undefined && input.expiresAt <= now) {
    throw new AdminValidationError([{ param: 'expiresAt', message: 'is not in the future' }]);
  }
  const tenant = await resolveTenant(stores, input.tenant, 'tenant');
  const secret = generateApiKey();
  const key = await stores.keys.create({
    tenantId: tenant.id,
    name: input.name,
    keyHash: secret.keyHash,
    keyPrefix: secret.keyPrefix,
    tier: input.tier,
    class: input.class,
    allowedModels: input.allowedModels ?? null,
    metadata: input.metadata ?? null,
    expiresAt: input.expiresAt ?? null,
  });
  return { status: 201, body: { key: secret.key, warning: SHOWN_ONCE, record: keyView(key, now) } };
};

/** `GET /admin/keys?tenant=` — every tenant's keys without `tenant`. */
export const listKeys: AdminHandler = async ({ stores, now }, { query }) => {
  const { tenant } = parseAdminInput(listKeysQuery, query ?? {}, 'query');
  const tenantIds = tenant === undefined ? (await stores.tenants.list()).map((t) => t.id) : [(await resolveTenant(stores, tenant, 'tenant')).id];
  const keys: ApiKey[] = [];
  for (const id of tenantIds) keys.push(...(await stores.keys.listByTenant(id)));
  return { status: 200, body: { object: 'list', data: keys.map((key) => keyView(key, now)) } };
};

/** `POST /admin/keys/:id/revoke` — revoking a revoked key changes nothing and succeeds. */
export const revokeKey: AdminHandler = async ({ stores, now }, { params }) => {
  const existing = await findKey(stores, params?.id);
  if (existing.revokedAt === null) await stores.keys.revoke(existing.id);
  return { status: 200, body: keyView((await stores.keys.get(existing.id)) ?? existing, now) };
};

/** `POST /admin/keys/:id/rotate` → a new key in clear, once; the old one is revoked with it. */
export const rotateKey: AdminHandler = async ({ stores, now }, { params }) => {
  const existing = await findKey(stores, params?.id);
  const secret = generateApiKey();
  const rotated = existing.revokedAt === null ? await stores.keys.rotate(existing.id, { keyHash: secret.keyHash, keyPrefix: secret.keyPrefix }) : undefined;
  if (rotated === undefined) throw new MoatError('key_revoked', `Key '${existing.id}' is revoked; create a new key instead.`, { param: 'id' });
  return { status: 201, body: { key: secret.key, warning: SHOWN_ONCE, record: keyView(rotated, now) } };
};

async function findKey(stores: AdminStores, id: string | undefined): Promise<ApiKey> {
  const key = id ? await stores.keys.get(id) : undefined;
  if (key === undefined) throw new MoatError('key_not_found', `No key has the id '${id ?? ''}'.`, { param: 'id' });
  return key;
}
