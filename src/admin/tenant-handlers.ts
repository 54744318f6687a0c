import { z } from 'zod';
import { MoatError } from '../errors/index.ts';
import { isUniqueViolation } from '../storage/index.ts';
import type { Tenant } from '../storage/index.ts';
import type { AdminContext, AdminHandler, AdminStores } from './admin-context.ts';
import { parseAdminInput } from './admin-validation.ts';
import { tenantView } from './admin-views.ts';

export const metadataSchema = z.record(z.string(), z.json());

const createTenantBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  metadata: metadataSchema.optional(),
});

/** `POST /admin/tenants` */
export const createTenant: AdminHandler = async ({ stores }, { body }) => {
  const input = parseAdminInput(createTenantBody, body, 'body');
  try {
    const tenant = await stores.tenants.create({ name: input.name, metadata: input.metadata ?? null });
    return { status: 201, body: tenantView(tenant) };
  } catch (error) {
    if (isUniqueViolation(error)) throw new MoatError('tenant_exists', `A tenant named '${input.name}' already exists.`, { param: 'name', cause: error });
    throw error;
  }
};

/** `GET /admin/tenants` */
export const listTenants: AdminHandler = async ({ stores }: AdminContext) => {
  const tenants = await stores.tenants.list();
  return { status: 200, body: { object: 'list', data: tenants.map(tenantView) } };
};

/** A tenant by id, else by name; 404 `tenant_not_found`. */
export async function resolveTenant(stores: AdminStores, idOrName: string, param: string): Promise<Tenant> {
  const tenant = (await stores.tenants.get(idOrName)) ?? (await stores.tenants.getByName(idOrName));
  if (tenant === undefined) throw new MoatError('tenant_not_found', `No tenant has the id or name '${idOrName}'.`, { param });
  return tenant;
}
