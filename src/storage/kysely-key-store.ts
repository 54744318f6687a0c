import { randomUUID } from 'node:crypto';
import type { Insertable, Kysely, Selectable } from 'kysely';
import { fromJsonText, toJsonText, toNumber, toNumberOrNull } from './column-values.ts';
import { compareText } from './compare-text.ts';
import type { ApiKey, KeyClass, KeyReplacement, KeyStore, NewApiKey } from './key-store.ts';
import type { ApiKeysTable, MoatDatabase } from './schema/database.ts';
import type { EpochMs, JsonObject } from './tenant-store.ts';

export class KyselyKeyStore implements KeyStore {
  readonly #db: Kysely<MoatDatabase>;
  readonly #clock: () => EpochMs;

  constructor(db: Kysely<MoatDatabase>, clock: () => EpochMs) {
    this.#db = db;
    this.#clock = clock;
  }

  async create(input: NewApiKey): Promise<ApiKey> {
    const key: ApiKey = {
      id: input.id ?? randomUUID(),
      tenantId: input.tenantId,
      name: input.name,
      keyHash: input.keyHash,
      keyPrefix: input.keyPrefix,
      tier: input.tier ?? 'standard',
      class: input.class ?? 'internal',
      allowedModels: input.allowedModels ?? null,
      metadata: input.metadata ?? null,
      expiresAt: input.expiresAt ?? null,
      revokedAt: null,
      createdAt: this.#clock(),
      rotatedFromId: null,
    };
    await this.#db.insertInto('api_keys').values(toRow(key)).execute();
    return key;
  }

  async get(id: string): Promise<ApiKey | undefined> {
    const row = await this.#db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toApiKey(row);
  }

  async findByHash(keyHash: string, now: EpochMs): Promise<ApiKey | undefined> {
    const row = await this.#db
      .selectFrom('api_keys')
      .selectAll()
      .where('key_hash', '=', keyHash)
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .executeTakeFirst();
    return row && toApiKey(row);
  }

  async listByTenant(tenantId: string): Promise<ApiKey[]> {
    const rows = await this.#db.selectFrom('api_keys').selectAll().where('tenant_id', '=', tenantId).execute();
    return rows.map(toApiKey).sort(oldestFirst);
  }

  async revoke(id: string): Promise<boolean> {
    const result = await this.#db.updateTable('api_keys').set({ revoked_at: this.#clock() }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async rotate(id: string, replacement: KeyReplacement): Promise<ApiKey | undefined> {
    const now = this.#clock();
    return this.#db.transaction().execute(async (trx) => {
      // `revoked_at is null` in the update itself: of two concurrent rotations, only one wins.
      const old = await trx.updateTable('api_keys').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).returningAll().executeTakeFirst();
      if (!old) return undefined;
      const key: ApiKey = {
        ...toApiKey(old),
        id: replacement.id ?? randomUUID(),
        name: replacement.name ?? old.name,
        keyHash: replacement.keyHash,
        keyPrefix: replacement.keyPrefix,
        revokedAt: null,
        createdAt: now,
        rotatedFromId: id,
      };
      await trx.insertInto('api_keys').values(toRow(key)).execute();
      return key;
    });
  }

  async listChangedSince(since: EpochMs): Promise<ApiKey[]> {
    const rows = await this.#db
      .selectFrom('api_keys')
      .selectAll()
      .where((eb) => eb.or([eb('created_at', '>=', since), eb('revoked_at', '>=', since)]))
      .execute();
    return rows.map(toApiKey).sort(oldestFirst);
  }
}

function oldestFirst(a: ApiKey, b: ApiKey): number {
  return a.createdAt - b.createdAt || compareText(a.id, b.id);
}

function toRow(key: ApiKey): Insertable<ApiKeysTable> {
  return {
    id: key.id,
    tenant_id: key.tenantId,
    name: key.name,
    key_hash: key.keyHash,
    key_prefix: key.keyPrefix,
    tier: key.tier,
    class: key.class,
    allowed_models: toJsonText(key.allowedModels),
    metadata: toJsonText(key.metadata),
    expires_at: key.expiresAt,
    revoked_at: key.revokedAt,
    created_at: key.createdAt,
    rotated_from_id: key.rotatedFromId,
  };
}

function toApiKey(row: Selectable<ApiKeysTable>): ApiKey {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    keyHash: row.key_hash,
    keyPrefix: row.key_prefix,
    tier: row.tier,
    class: row.class as KeyClass,
    allowedModels: fromJsonText<string[]>(row.allowed_models),
    metadata: fromJsonText<JsonObject>(row.metadata),
    expiresAt: toNumberOrNull(row.expires_at),
    revokedAt: toNumberOrNull(row.revoked_at),
    createdAt: toNumber(row.created_at),
    rotatedFromId: row.rotated_from_id,
  };
}
