import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { fromJsonText, toJsonText, toNumber } from './column-values.ts';
import { compareText } from './compare-text.ts';
import type { MoatDatabase, TenantsTable } from './schema/database.ts';
import type { EpochMs, JsonObject, NewTenant, Tenant, TenantStore } from './tenant-store.ts';

export class KyselyTenantStore implements TenantStore {
  readonly #db: Kysely<MoatDatabase>;
  readonly #clock: () => EpochMs;

  constructor(db: Kysely<MoatDatabase>, clock: () => EpochMs) {
    this.#db = db;
    this.#clock = clock;
  }

  async create(input: NewTenant): Promise<Tenant> {
    const tenant: Tenant = { id: input.id ?? randomUUID(), name: input.name, metadata: input.metadata ?? null, createdAt: this.#clock() };
    await this.#db
      .insertInto('tenants')
      .values({ id: tenant.id, name: tenant.name, metadata: toJsonText(tenant.metadata), created_at: tenant.createdAt })
      .execute();
    return tenant;
  }

  async get(id: string): Promise<Tenant | undefined> {
    const row = await this.#db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toTenant(row);
  }

  async getByName(name: string): Promise<Tenant | undefined> {
    const row = await this.#db.selectFrom('tenants').selectAll().where('name', '=', name).executeTakeFirst();
    return row && toTenant(row);
  }

  async list(): Promise<Tenant[]> {
    const rows = await this.#db.selectFrom('tenants').selectAll().execute();
    return rows.map(toTenant).sort((a, b) => compareText(a.name, b.name));
  }
}

function toTenant(row: Selectable<TenantsTable>): Tenant {
  return { id: row.id, name: row.name, metadata: fromJsonText<JsonObject>(row.metadata), createdAt: toNumber(row.created_at) };
}
