import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openStorage } from '../storage/index.ts';
import type { KeyStore, Storage } from '../storage/index.ts';
import type { BackendDatabase } from '../storage/contract/test-backends.ts';
import { TEST_BACKENDS } from '../storage/contract/test-backends.ts';
import { generateApiKey } from './generate-key.ts';
import { KeyRegistry } from './key-registry.ts';

const T0 = Date.UTC(2030, 0, 1);
const clock = { now: T0 };
const tick = () => clock.now;

/** The store with a count of the queries the registry makes. */
function counted(store: KeyStore): KeyStore & { finds: number } {
  const wrapper = {
    finds: 0,
    create: store.create.bind(store),
    get: store.get.bind(store),
    listByTenant: store.listByTenant.bind(store),
    revoke: store.revoke.bind(store),
    rotate: store.rotate.bind(store),
    listChangedSince: store.listChangedSince.bind(store),
    findByHash: (hash: string, now: number) => {
      wrapper.finds += 1;
      return store.findByHash(hash, now);
    },
  };
  return wrapper;
}

async function newKey(storage: Storage, fields: { expiresAt?: number } = {}) {
  const tenant = await storage.tenants.create({ name: `t-${Math.random()}` });
  const material = generateApiKey();
  const record = await storage.keys.create({ tenantId: tenant.id, name: 'k', keyHash: material.keyHash, keyPrefix: material.keyPrefix, ...fields });
  return { ...material, record };
}

describe('KeyRegistry on one database', () => {
  let storage: Storage;
  beforeAll(async () => {
    storage = openStorage({ path: ':memory:', clock: tick });
    await storage.migrate();
  });
  afterAll(() => storage.close());

  it('answers a hit from memory and asks the store once per miss, however many arrive together', async () => {
    const store = counted(storage.keys);
    const registry = new KeyRegistry(store, { clock: tick });
    const { keyHash, record } = await newKey(storage);
    const answers = await Promise.all([1, 2, 3].map(() => registry.lookup(keyHash, clock.now)));
    expect(store.finds).toBe(1);
    expect(answers[0]).toEqual({ id: record.id, tenantId: record.tenantId, name: 'k', tier: 'standard', class: 'internal', allowedModels: null, metadata: null, expiresAt: null });
    expect(await registry.lookup(keyHash, clock.now)).toBe(answers[0]);
    expect(store.finds).toBe(1);
  });

  it('remembers an unknown key for the negative TTL, then asks again', async () => {
    const store = counted(storage.keys);
    const registry = new KeyRegistry(store, { clock: tick, negativeTtlMs: 1000 });
    const { keyHash } = generateApiKey();
    expect(await registry.lookup(keyHash, T0)).toBeUndefined();
    expect(await registry.lookup(keyHash, T0 + 999)).toBeUndefined();
    expect(store.finds).toBe(1);
    expect(await registry.lookup(keyHash, T0 + 1000)).toBeUndefined();
    expect(store.finds).toBe(2);
  });

  it('bounds the negative cache, dropping the oldest entries', async () => {
    const store = counted(storage.keys);
    const registry = new KeyRegistry(store, { clock: tick, maxNegativeEntries: 3 });
    const hashes = Array.from({ length: 5 }, () => generateApiKey().keyHash);
    for (const hash of hashes) await registry.lookup(hash, T0);
    expect(registry.size.unknown).toBe(3);
    await registry.lookup(hashes[4]!, T0);
    expect(store.finds).toBe(5);
    await registry.lookup(hashes[0]!, T0);
    expect(store.finds).toBe(6);
  });

  it('refuses a cached key from its expiry on, without asking the store', async () => {
    const store = counted(storage.keys);
    const registry = new KeyRegistry(store, { clock: tick });
    const { keyHash } = await newKey(storage, { expiresAt: clock.now + 60_000 });
    expect(await registry.lookup(keyHash, clock.now + 59_999)).toBeDefined();
    expect(await registry.lookup(keyHash, clock.now + 60_000)).toBeUndefined();
    expect(store.finds).toBe(1);
  });

  it('forgets a negative answer when a refresh sees the key created', async () => {
    const registry = new KeyRegistry(storage.keys, { clock: tick, negativeTtlMs: 60_000 });
    const material = generateApiKey();
    expect(await registry.lookup(material.keyHash, clock.now)).toBeUndefined();
    const tenant = await storage.tenants.create({ name: 'late' });
    await storage.keys.create({ tenantId: tenant.id, name: 'late', keyHash: material.keyHash, keyPrefix: material.keyPrefix });
    await registry.refresh();
    expect(await registry.lookup(material.keyHash, clock.now)).toMatchObject({ name: 'late' });
  });
});

describe('KeyRegistry timer', () => {
  it('polls every interval until stopped', async () => {
    vi.useFakeTimers();
    try {
      const listChangedSince = vi.fn(async () => []);
      const registry = new KeyRegistry({ listChangedSince } as unknown as KeyStore, { refreshIntervalMs: 2000 });
      registry.start();
      registry.start();
      await vi.advanceTimersByTimeAsync(4000);
      expect(listChangedSince).toHaveBeenCalledTimes(2);
      registry.stop();
      await vi.advanceTimersByTimeAsync(4000);
      expect(listChangedSince).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('reports a failed poll and keeps serving', async () => {
    vi.useFakeTimers();
    try {
      const onRefreshError = vi.fn();
      const registry = new KeyRegistry({ listChangedSince: async () => Promise.reject(new Error('down')) } as unknown as KeyStore, { onRefreshError });
      registry.start();
      await vi.advanceTimersByTimeAsync(2000);
      registry.stop();
      expect(onRefreshError).toHaveBeenCalledWith(new Error('down'));
    } finally {
      vi.useRealTimers();
    }
  });
});

// Two replicas: two connections to one database, each with its own registry.
for (const backend of TEST_BACKENDS.filter((b) => b.name !== 'sqlite (:memory:)')) {
  describe(`KeyRegistry across replicas on ${backend.name}`, () => {
    let database: BackendDatabase;
    let a: Storage;
    let b: Storage;
    beforeAll(async () => {
      database = await backend.create();
      a = database.open(tick);
      await a.migrate();
      b = database.open(tick);
    });
    afterAll(async () => {
      await b?.close();
      await a?.close();
      await database?.drop();
    });

    it('a revocation through one replica is refused by the other after its refresh', async () => {
      const registryA = new KeyRegistry(a.keys, { clock: tick });
      const registryB = new KeyRegistry(b.keys, { clock: tick });
      const { keyHash, record } = await newKey(a);
      expect(await registryA.lookup(keyHash, clock.now)).toBeDefined();
      expect(await registryB.lookup(keyHash, clock.now)).toBeDefined();

      clock.now += 1000;
      expect(await a.keys.revoke(record.id)).toBe(true);
      await registryA.refresh();
      expect(await registryA.lookup(keyHash, clock.now)).toBeUndefined();
      expect(await registryB.lookup(keyHash, clock.now)).toBeDefined(); // until its next refresh
      await registryB.refresh();
      expect(await registryB.lookup(keyHash, clock.now)).toBeUndefined();
    });

    it('a rotation through one replica swaps the keys on the other after its refresh', async () => {
      const storeB = counted(b.keys);
      const registryB = new KeyRegistry(storeB, { clock: tick });
      const old = await newKey(a);
      expect(await registryB.lookup(old.keyHash, clock.now)).toBeDefined();

      clock.now += 1000;
      const next = generateApiKey();
      const rotated = await a.keys.rotate(old.record.id, { keyHash: next.keyHash, keyPrefix: next.keyPrefix });
      await registryB.refresh();
      expect(await registryB.lookup(old.keyHash, clock.now)).toBeUndefined();
      expect(await registryB.lookup(next.keyHash, clock.now)).toMatchObject({ id: rotated!.id });
      expect(storeB.finds).toBe(1); // the new key came with the refresh
    });
  });
}
