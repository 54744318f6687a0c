import { afterAll, beforeAll } from 'vitest';
import type { Storage } from '../open-storage.ts';
import type { BackendDatabase, TestBackend } from './test-backends.ts';

/** A clock the tests set by hand, so expiry and change times are exact. */
export interface TestClock {
  now: number;
}

/** What every contract test gets: the backend's storage, migrated, and a way to open more connections. */
export interface ContractContext {
  readonly backend: string;
  readonly storage: Storage;
  readonly clock: TestClock;
  /** Migrations the first `migrate()` applied. */
  readonly firstMigration: string[];
  /** Another connection to the same database, or the same storage where there can be only one. */
  openPeer(): Storage;
}

/** Opens the backend before the suite and drops its database after; fails (never skips) if it cannot. */
export function useBackend(backend: TestBackend): ContractContext {
  const clock: TestClock = { now: Date.UTC(2030, 0, 1) };
  const peers: Storage[] = [];
  let database: BackendDatabase | undefined;
  let storage: Storage | undefined;
  let firstMigration: string[] = [];

  beforeAll(async () => {
    database = await backend.create();
    storage = database.open(() => clock.now);
    firstMigration = await storage.migrate();
  });

  afterAll(async () => {
    for (const peer of peers) await peer.close();
    await storage?.close();
    await database?.drop();
  });

  return {
    backend: backend.name,
    clock,
    get storage() {
      if (!storage) throw new Error(`${backend.name}: storage did not open`);
      return storage;
    },
    get firstMigration() {
      return firstMigration;
    },
    openPeer() {
      if (!database?.shared) return this.storage;
      const peer = database.open(() => clock.now);
      peers.push(peer);
      return peer;
    },
  };
}
