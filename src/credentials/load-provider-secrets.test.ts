import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfigText } from '../config/index.ts';
import { openStorage, type Storage } from '../storage/index.ts';
import { loadProviderSecrets } from './load-provider-secrets.ts';
import type { MasterKeyring } from './master-key.ts';
import { sealCredential } from './seal-credential.ts';

const ring: MasterKeyring = { currentVersion: 1, keys: new Map([[1, randomBytes(32)]]) };
const providers = parseConfigText(
  `
providers:
  a: { type: openai, credential: shared }
  b: { type: anthropic, credential: shared }
  c: { type: openai-compatible, baseUrl: "http://127.0.0.1:1/v1", credential: other }
  d: { type: openai }
`,
  'test',
  {},
).providers;

let storage: Storage;
beforeAll(async () => {
  storage = openStorage({ path: ':memory:' });
  await storage.migrate();
});
afterAll(() => storage.close());

async function problems(run: Promise<unknown>): Promise<string[]> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).problems;
}

describe('loadProviderSecrets', () => {
  it('needs no store, key or query when no provider names a credential', async () => {
    expect(await loadProviderSecrets({ d: providers.d! }, null, null)).toEqual(new Map());
  });

  it('lists every provider whose credential is not stored', async () => {
    expect(await problems(loadProviderSecrets(providers, storage.credentials, ring))).toEqual([
      expect.stringMatching(/^providers\.a\.credential: no credential named 'shared' is stored; store it with `moat credentials set shared`/),
      expect.stringMatching(/^providers\.b\.credential: no credential named 'shared'/),
      expect.stringMatching(/^providers\.c\.credential: no credential named 'other'/),
    ]);
  });

  it('decrypts the credentials named, once each, and no others', async () => {
    await storage.credentials.put(sealCredential('shared', 'sk-shared', ring));
    await storage.credentials.put(sealCredential('other', 'sk-other', ring));
    await storage.credentials.put(sealCredential('unused', 'sk-unused', ring));
    expect(await loadProviderSecrets(providers, storage.credentials, ring)).toEqual(new Map([['shared', 'sk-shared'], ['other', 'sk-other']]));
  });

  it('says why a credential does not decrypt: wrong key, altered row, unknown key version', async () => {
    const wrong: MasterKeyring = { currentVersion: 1, keys: new Map([[1, randomBytes(32)]]) };
    expect(await problems(loadProviderSecrets({ c: providers.c! }, storage.credentials, wrong))).toEqual([
      expect.stringMatching(/^providers\.c\.credential: credential 'other' does not decrypt with master key version 1/),
    ]);
    const row = (await storage.credentials.get('other'))!;
    await storage.credentials.put({ ...row, keyVersion: 7 });
    expect(await problems(loadProviderSecrets({ c: providers.c! }, storage.credentials, ring))).toEqual([expect.stringContaining('set MOAT_MASTER_KEY_7')]);
  });

  it('explains a missing master key or storage that is off', async () => {
    expect(await problems(loadProviderSecrets({ a: providers.a! }, storage.credentials, null))).toEqual([expect.stringContaining('MOAT_MASTER_KEY is not set')]);
    expect(await problems(loadProviderSecrets({ a: providers.a! }, null, ring))).toEqual([expect.stringContaining('storage.enabled is false')]);
  });
});
