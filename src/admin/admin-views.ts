import type { ApiKey, EpochMs, JsonObject, Tenant } from '../storage/index.ts';
import type { JsonValue } from './admin-context.ts';

export interface TenantView {
  [key: string]: JsonValue;
  id: string;
  name: string;
  metadata: { [key: string]: JsonValue } | null;
  createdAt: string;
}

/** A key as the admin API shows it: never the key or its hash, only the prefix. */
export interface KeyView {
  [key: string]: JsonValue;
  id: string;
  tenantId: string;
  name: string;
  keyPrefix: string;
  tier: string;
  class: string;
  allowedModels: string[] | null;
  metadata: { [key: string]: JsonValue } | null;
  status: 'active' | 'revoked' | 'expired';
  expiresAt: string | null;
  revokedAt: string | null;
  createdAt: string;
  rotatedFromId: string | null;
}

export function tenantView(tenant: Tenant): TenantView {
  return { id: tenant.id, name: tenant.name, metadata: json(tenant.metadata), createdAt: iso(tenant.createdAt) };
}

export function keyView(key: ApiKey, now: EpochMs): KeyView {
  const status = key.revokedAt !== null ? 'revoked' : key.expiresAt !== null && key.expiresAt <= now ? 'expired' : 'active';
  return {
    id: key.id,
    tenantId: key.tenantId,
    name: key.name,
    keyPrefix: key.keyPrefix,
    tier: key.tier,
    class: key.class,
    allowedModels: key.allowedModels,
    metadata: json(key.metadata),
    status,
    expiresAt: key.expiresAt === null ? null : iso(key.expiresAt),
    revokedAt: key.revokedAt === null ? null : iso(key.revokedAt),
    createdAt: iso(key.createdAt),
    rotatedFromId: key.rotatedFromId,
  };
}

function iso(ms: EpochMs): string {
  return new Date(ms).toISOString();
}

// Metadata was JSON when it was stored, so it is JSON coming back.
function json(value: JsonObject | null): { [key: string]: JsonValue } | null {
  return value as { [key: string]: JsonValue } | null;
}
