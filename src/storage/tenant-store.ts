/** Milliseconds since the Unix epoch, UTC: every time the storage layer takes or returns. */
export type EpochMs = number;

export type JsonObject = Record<string, unknown>;

export interface Tenant {
  id: string;
  name: string;
  metadata: JsonObject | null;
  createdAt: EpochMs;
}

export interface NewTenant {
  /** Defaults to a random UUID. */
  id?: string;
  name: string;
  metadata?: JsonObject | null;
}

export interface TenantStore {
  /** Fails with a unique violation (see `isUniqueViolation`) when the name or id is taken. */
  create(tenant: NewTenant): Promise<Tenant>;
  get(id: string): Promise<Tenant | undefined>;
  getByName(name: string): Promise<Tenant | undefined>;
  /** All tenants, by name. */
  list(): Promise<Tenant[]>;
}
