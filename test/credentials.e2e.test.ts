import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleAdminRequest } from '../src/admin/index.ts';
import { ConfigError, parseConfigText } from '../src/config/index.ts';
import { loadMasterKeys, loadProviderSecrets } from '../src/credentials/index.ts';
import { hashApiKey } from '../src/keys/index.ts';
import { serve, type Serving } from '../src/server/index.ts';
import { TEST_BACKENDS } from '../src/storage/contract/test-backends.ts';
import { openStorage, type Storage } from '../src/storage/index.ts';
import { FakeUpstream } from './support/fake-upstream.ts';
import { until } from './support/until.ts';
import { adminRequest } from './support/admin-request.ts';

/**
 * Provider keys stored through the admin API (decision 0011): encrypted in the database, decrypted
 * into memory at start, on config reload and on refresh, sent upstream, and never written in clear to
 * the database, the admin answers or the logs.
 */
const ADMIN_KEY = 'moat-admin-credentials-key-0123456789';
const READER_KEY = 'moat-reader-credentials-key-0123456789';
const VALUE = 'sk-stored-upstream-key-7f3a9c21d4e5b6a8';
const ROTATED = 'sk-rotated-upstream-key-0b1c2d3e4f5a6b7c';
const ENV = { MOAT_MASTER_KEY: randomBytes(32).toString('base64'), MOAT_ADMIN_KEY: ADMIN_KEY, MOAT_READER_KEY: READER_KEY };

let upstream: FakeUpstream;
let upstreamUrl: string;
let dir: string;
const servings: Serving[] = [];
const logs: string[] = [];

function logSink(): Writable {
  const index = logs.push('') - 1;
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs[index] += chunk.toString('utf8');
      done();
    },
  });
}

/** A replica's config file: the shared database, its own journal, and the provider when asked. */
function writeConfig(file: string, journal: string, withProvider: boolean): void {
  writeFileSync(
    file,
    `
log: { level: info }
storage: { path: ${join(dir, 'moat.db')}, journalDir: ${join(dir, journal)} }
admin:
  keys:
    - { name: ops, keyEnv: MOAT_ADMIN_KEY, role: admin }
    - { name: dashboards, keyEnv: MOAT_READER_KEY, role: read-only }
providers:
${withProvider ? `  fake: { type: openai, baseUrl: ${upstreamUrl}, credential: upstream-key }` : '  {}'}
models:
${withProvider ? '  - { name: "fx-*", provider: fake, model: "fx-*" }' : '  []'}
`,
  );
}

async function startReplica(file: string): Promise<Serving> {
  const serving = await serve({ configPath: file, port: 0, env: ENV, logDestination: logSink() });
  servings.push(serving);
  return serving;
}

async function admin(serving: Serving, method: string, path: string, body?: unknown, key = ADMIN_KEY) {
  const { status, body: answer, text } = await adminRequest(serving.url, key, method, path, body);
  expect(text).not.toContain(VALUE);
  expect(text).not.toContain(ROTATED);
  return { status, body: answer };
}

/** One chat request through replica `serving`; the Authorization header the fake upstream saw. */
async function chatThrough(serving: Serving): Promise<{ ok: boolean; authorization: string | undefined }> {
  const client = new OpenAI({ baseURL: `${serving.url}/v1`, apiKey: 'unused-on-loopback', maxRetries: 0 });
  const before = upstream.requests.length;
  const ok = await client.chat.completions.create({ model: 'fx-chat-text', messages: [{ role: 'user', content: 'hi' }] }).then(
    () => true,
    () => false,
  );
  const seen = upstream.requests.slice(before).at(-1);
  return { ok, authorization: seen?.headers.authorization };
}

beforeAll(async () => {
  upstream = new FakeUpstream(VALUE);
  upstreamUrl = await upstream.start();
  dir = mkdtempSync(join(tmpdir(), 'moat-credentials-'));
});
afterAll(async () => {
  for (const serving of servings) await serving.stop();
  await upstream.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('provider credentials stored through the admin API (SQLite)', () => {
  const file = () => join(dir, 'moat.yaml');
  let gateway: Serving;

  it('a provider naming a credential that is not stored stops the start, naming both', async () => {
    writeConfig(file(), 'journal', true);
    const error = await serve({ configPath: file(), port: 0, env: ENV, logDestination: logSink() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([expect.stringMatching(/^providers\.fake\.credential: no credential named 'upstream-key' is stored/)]);
  });

  it('stores a credential through the HTTP admin API; answers show no value', async () => {
    writeConfig(file(), 'journal', false);
    gateway = await startReplica(file());
    const stored = await admin(gateway, 'PUT', '/admin/credentials/upstream-key', { value: VALUE });
    expect(stored).toEqual({ status: 201, body: { name: 'upstream-key', keyVersion: 1, createdAt: expect.any(String), updatedAt: expect.any(String) } });
    expect((await admin(gateway, 'PUT', '/admin/credentials/upstream-key', { value: 'two words' })).status).toBe(400);
    expect((await admin(gateway, 'PUT', '/admin/credentials/upstream-key', { value: VALUE }, READER_KEY)).status).toBe(403);
    const listed = await admin(gateway, 'GET', '/admin/credentials', undefined, READER_KEY);
    expect(listed.body.data).toEqual([stored.body]);
  });

  it('a config change that names it is applied, and requests reach the upstream with that key', async () => {
    writeConfig(file(), 'journal', true);
    await until(async () => (await chatThrough(gateway)).ok);
    expect(upstream.lastRequest().headers.authorization).toBe(`Bearer ${VALUE}`);
  });

  it('the database holds no plaintext: not in any column, not in the files', async () => {
    const storage = openStorage({ path: join(dir, 'moat.db') });
    try {
      const rows = await storage.db.selectFrom('provider_credentials').selectAll().execute();
      expect(rows).toHaveLength(1);
      for (const [column, value] of Object.entries(rows[0]!)) {
        expect(String(value), column).not.toContain(VALUE);
        expect(String(value), column).not.toContain(Buffer.from(VALUE).toString('base64').slice(0, 12));
      }
      expect(await storage.credentials.get('upstream-key')).toMatchObject({ name: 'upstream-key', keyVersion: 1 });
    } finally {
      await storage.close();
    }
    for (const name of ['moat.db', 'moat.db-wal']) {
      const path = join(dir, name);
      if (existsSync(path)) expect(readFileSync(path).includes(VALUE), name).toBe(false);
    }
  });

  it('a value stored again through this replica is used at once; through another replica within seconds', async () => {
    expect((await admin(gateway, 'PUT', '/admin/credentials/upstream-key', { value: ROTATED })).status).toBe(200);
    // The fake upstream only takes VALUE, so this request fails upstream: what matters is the key it carried.
    await until(async () => (await chatThrough(gateway)).authorization === `Bearer ${ROTATED}`, 'the rotated credential', 3000);

    const otherFile = join(dir, 'other.yaml');
    writeConfig(otherFile, 'journal-other', false);
    const other = await startReplica(otherFile);
    expect((await admin(other, 'PUT', '/admin/credentials/upstream-key', { value: VALUE })).status).toBe(200);
    const started = Date.now();
    await until(async () => (await chatThrough(gateway)).ok);
    expect(Date.now() - started).toBeLessThan(8000);
    expect(upstream.lastRequest().headers.authorization).toBe(`Bearer ${VALUE}`);
    expect(logs.join('')).toContain('provider credentials changed; providers rebuilt');
  });

  it('deleting a credential in use keeps the last good value, with a warning; a config reload that needs it is rejected', async () => {
    expect((await admin(gateway, 'DELETE', '/admin/credentials/upstream-key')).status).toBe(200);
    expect((await admin(gateway, 'DELETE', '/admin/credentials/upstream-key')).body).toMatchObject({ error: { code: 'credential_not_found' } });
    await until(() => logs.join('').includes('provider credentials did not refresh'));
    expect(await chatThrough(gateway)).toEqual({ ok: true, authorization: `Bearer ${VALUE}` });

    writeFileSync(file(), `${readFileSync(file(), 'utf8')}\n# touched\n`);
    await until(() => logs.join('').includes('config change rejected'));
    expect(await chatThrough(gateway)).toEqual({ ok: true, authorization: `Bearer ${VALUE}` });
  });

  it('no log line holds a value', () => {
    const text = logs.join('');
    expect(text).toContain("no credential named 'upstream-key'");
    expect(text).not.toContain(VALUE);
    expect(text).not.toContain(ROTATED);
  });
});

// The storage-level part on every kind of database the contract suite knows, PostgreSQL included.
for (const backend of TEST_BACKENDS.filter((b) => b.name !== 'sqlite (:memory:)')) {
  describe(`stored credentials at rest on ${backend.name}`, () => {
    let database: Awaited<ReturnType<(typeof backend)['create']>>;
    let storage: Storage;
    beforeAll(async () => {
      database = await backend.create();
      storage = database.open(Date.now);
      await storage.migrate();
    });
    afterAll(async () => {
      await storage?.close();
      await database?.drop();
    });

    it('an admin PUT stores ciphertext only, which decrypts for the provider that names it', async () => {
      const masterKeys = loadMasterKeys(ENV)!;
      const response = await handleAdminRequest(
        { stores: storage, adminKeys: [{ name: 'ops', keyHash: hashApiKey(ADMIN_KEY), role: 'admin' }], masterKeys },
        { method: 'PUT', url: '/admin/credentials/pg-key', headers: { authorization: `Bearer ${ADMIN_KEY}` }, body: JSON.stringify({ value: VALUE }), requestId: 'r1' },
      );
      expect(response.status).toBe(201);
      const rows = await storage.db.selectFrom('provider_credentials').selectAll().where('name', '=', 'pg-key').execute();
      expect(rows).toHaveLength(1);
      for (const [column, value] of Object.entries(rows[0]!)) expect(String(value), column).not.toContain(VALUE);

      const { providers } = parseConfigText('providers: { p: { type: openai, credential: pg-key } }', 'test', {});
      expect(await loadProviderSecrets(providers, storage.credentials, masterKeys)).toEqual(new Map([['pg-key', VALUE]]));
      // The same row under another master key does not decrypt.
      const otherKeys = loadMasterKeys({ MOAT_MASTER_KEY: randomBytes(32).toString('hex') });
      await expect(loadProviderSecrets(providers, storage.credentials, otherKeys)).rejects.toThrow(/does not decrypt with master key version 1/);
    });
  });
}
