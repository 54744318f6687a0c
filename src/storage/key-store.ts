import type { EpochMs, JsonObject } from './tenant-store.ts';

/** `external` keys get the reasoning veil; see the keys issue. */
export type KeyClass = 'internal' | 'external';

export interface ApiKey {
  id: string;
  tenantId: string;
  name: string;
  /** sha256 of the key, lowercase hex; the key itself is never stored. */
  keyHash: string;
  /** The key's first characters, to tell keys apart in listings. */
  keyPrefix: string;
  tier: string;
  class: KeyClass;
  /** Model names the key may use; null allows all. */
  allowedModels: string[] | null;
  metadata: JsonObject | null;
  expiresAt: EpochMs | null;
  revokedAt: EpochMs | null;
  createdAt: EpochMs;
  /** The key this one replaced, when it came from a rotation. */
  rotatedFromId: string | null;
}

export interface NewApiKey {
  /** Defaults to a random UUID. */
  id?: string;
  tenantId: string;
  name: string;
  keyHash: string;
  keyPrefix: string;
  /** Default `standard`. */
  tier?: string;
  /** Default `internal`. */
  class?: KeyClass;
  allowedModels?: string[] | null;
  metadata?: JsonObject | null;
  expiresAt?: EpochMs | null;
}

/** What changes when a key is rotated; everything else is copied from the old key. */
export interface KeyReplacement {
  id?: string;
  keyHash: string;
  keyPrefix: string;
  /** Default: the old key's name. */
  name?: string;
}

export interface KeyStore {
  create(key: NewApiKey): Promise<ApiKey>;
  get(id: string): Promise<ApiKey | undefined>;
  /** The key with this hash if it is usable at `now`: not revoked and not expired. */
  findByHash(keyHash: string, now: EpochMs): Promise<ApiKey | undefined>;
  /** A tenant's keys, revoked ones included, oldest first. */
  listByTenant(tenantId: string): Promise<ApiKey[]>;
  /** Revokes the key now; false when it does not exist or was already revoked. */
  revoke(id: string): Promise<boolean>;
  /**
   * Revokes the key and creates its replacement, both or neither. Undefined when the key does not
   * exist or is already revoked.
   */
  rotate(id: string, replacement: KeyReplacement): Promise<ApiKey | undefined>;
  /**
   * Keys created or revoked at or after `since`, so replicas can refresh their caches by polling.
   * Times come from the writer's clock: poll from a little before the last change seen.
   */
  listChangedSince(since: EpochMs): Promise<ApiKey[]>;
}
