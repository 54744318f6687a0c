import type { Kysely, Selectable } from 'kysely';
import { toNumber } from './column-values.ts';
import { compareText } from './compare-text.ts';
import type { CredentialInput, CredentialStore, StoredCredential } from './credential-store.ts';
import type { MoatDatabase, ProviderCredentialsTable } from './schema/database.ts';
import type { EpochMs } from './tenant-store.ts';

export class KyselyCredentialStore implements CredentialStore {
  readonly #db: Kysely<MoatDatabase>;
  readonly #clock: () => EpochMs;

  constructor(db: Kysely<MoatDatabase>, clock: () => EpochMs) {
    this.#db = db;
    this.#clock = clock;
  }

  async put(credential: CredentialInput): Promise<StoredCredential> {
    const now = this.#clock();
    const changes = { ciphertext: credential.ciphertext, iv: credential.iv, auth_tag: credential.authTag, key_version: credential.keyVersion, updated_at: now };
    // ON CONFLICT … DO UPDATE reads the same on SQLite (3.24+) and PostgreSQL.
    const row = await this.#db
      .insertInto('provider_credentials')
      .values({ name: credential.name, created_at: now, ...changes })
      .onConflict((oc) => oc.column('name').doUpdateSet(changes))
      .returningAll()
      .executeTakeFirstOrThrow();
    return toCredential(row);
  }

  async get(name: string): Promise<StoredCredential | undefined> {
    const row = await this.#db.selectFrom('provider_credentials').selectAll().where('name', '=', name).executeTakeFirst();
    return row && toCredential(row);
  }

  async list(): Promise<StoredCredential[]> {
    const rows = await this.#db.selectFrom('provider_credentials').selectAll().execute();
    return rows.map(toCredential).sort((a, b) => compareText(a.name, b.name));
  }

  async delete(name: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('provider_credentials').where('name', '=', name).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}

function toCredential(row: Selectable<ProviderCredentialsTable>): StoredCredential {
  return {
    name: row.name,
    ciphertext: row.ciphertext,
    iv: row.iv,
    authTag: row.auth_tag,
    keyVersion: toNumber(row.key_version),
    createdAt: toNumber(row.created_at),
    updatedAt: toNumber(row.updated_at),
  };
}
