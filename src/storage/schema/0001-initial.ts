import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * The first schema, in Kysely's builder only, so that one migration serves SQLite and PostgreSQL.
 * Raw `sql` appears only for CHECK expressions, which the builder takes as raw SQL on every dialect.
 * JSON is kept as text rather than PostgreSQL's jsonb: Moat never queries inside it, and text reads
 * back the same on both backends.
 */
export const initialSchema: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('tenants')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('metadata', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('api_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('key_hash', 'text', (c) => c.notNull().unique())
      .addColumn('key_prefix', 'text', (c) => c.notNull())
      .addColumn('tier', 'text', (c) => c.notNull().defaultTo('standard'))
      .addColumn('class', 'text', (c) => c.notNull().defaultTo('internal').check(sql`${sql.ref('class')} in ('internal', 'external')`))
      .addColumn('allowed_models', 'text')
      .addColumn('metadata', 'text')
      .addColumn('expires_at', 'bigint')
      .addColumn('revoked_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('rotated_from_id', 'text', (c) => c.references('api_keys.id'))
      .execute();
    await db.schema.createIndex('api_keys_tenant').on('api_keys').column('tenant_id').execute();

    // No foreign keys here: the ledger is history, written in batches off the hot path, and a row
    // must never be refused because of what happened to its key since.
    await db.schema
      .createTable('usage_ledger')
      .addColumn('request_id', 'text', (c) => c.primaryKey())
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('requested_model', 'text', (c) => c.notNull())
      .addColumn('served_model', 'text', (c) => c.notNull())
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('input_tokens', 'integer', (c) => c.notNull())
      .addColumn('cached_input_tokens', 'integer', (c) => c.notNull())
      .addColumn('cache_write_tokens', 'integer', (c) => c.notNull())
      .addColumn('output_tokens', 'integer', (c) => c.notNull())
      .addColumn('reasoning_tokens', 'integer', (c) => c.notNull())
      .addColumn('cost_micros', 'bigint', (c) => c.notNull())
      .addColumn('usage_source', 'text', (c) => c.notNull().check(sql`${sql.ref('usage_source')} in ('upstream', 'tokenizer', 'estimate')`))
      .addColumn('latency_ms', 'integer', (c) => c.notNull())
      .addColumn('ttft_ms', 'integer')
      .addColumn('status', 'integer', (c) => c.notNull())
      .addColumn('error_code', 'text')
      .addColumn('route_reason', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('usage_ledger_tenant_time').on('usage_ledger').columns(['tenant_id', 'created_at']).execute();
    await db.schema.createIndex('usage_ledger_key_time').on('usage_ledger').columns(['key_id', 'created_at']).execute();

    await db.schema
      .createTable('provider_credentials')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('ciphertext', 'text', (c) => c.notNull())
      .addColumn('iv', 'text', (c) => c.notNull())
      .addColumn('auth_tag', 'text', (c) => c.notNull())
      .addColumn('key_version', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of ['provider_credentials', 'usage_ledger', 'api_keys', 'tenants']) await db.schema.dropTable(table).execute();
  },
};
