import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { openStorage } from '../open-storage.ts';
import type { Storage } from '../open-storage.ts';

/** The server the PostgreSQL suite runs against; trust auth on the development and CI machines. */
export const TEST_POSTGRES_URL = process.env.MOAT_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** One database for one run of the contract suite. */
export interface BackendDatabase {
  /** A new connection (a pool, for PostgreSQL) to the database. */
  open(clock: () => number): Storage;
  /** Whether `open` reaches the same data; an in-memory SQLite database is private to its connection. */
  readonly shared: boolean;
  drop(): Promise<void>;
}

export interface TestBackend {
  name: string;
  create(): Promise<BackendDatabase>;
}

export const TEST_BACKENDS: TestBackend[] = [
  {
    name: 'sqlite (file)',
    async create() {
      const dir = mkdtempSync(join(tmpdir(), 'moat-storage-'));
      // A folder that does not exist yet: openStorage must create it.
      const path = join(dir, 'nested', 'moat.db');
      return { shared: true, open: (clock) => openStorage({ path, clock }), drop: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'sqlite (:memory:)',
    async create() {
      return { shared: false, open: (clock) => openStorage({ path: ':memory:', clock }), drop: async () => {} };
    },
  },
  {
    name: 'postgresql',
    async create() {
      const admin = postgres(TEST_POSTGRES_URL, { max: 1, connect_timeout: 5, onnotice: () => {} });
      try {
        await admin`select 1`;
      } catch (error) {
        await admin.end({ timeout: 0 });
        throw new Error(unreachable(error), { cause: error });
      }
      // Each run works in a schema of its own, dropped afterwards, so runs never see each other's rows.
      const schema = `moat_test_${randomBytes(6).toString('hex')}`;
      await admin.unsafe(`create schema ${schema}`);
      return {
        shared: true,
        open: (clock) => openStorage({ url: TEST_POSTGRES_URL, schema, clock }),
        drop: async () => {
          await admin.unsafe(`drop schema ${schema} cascade`);
          await admin.end();
        },
      };
    },
  },
];

function unreachable(error: unknown): string {
  const url = new URL(TEST_POSTGRES_URL);
  return (
    `PostgreSQL is not reachable at ${url.hostname}:${url.port || 5432} (database "${url.pathname.slice(1)}", user "${url.username}"): ` +
    `${error instanceof Error ? error.message : String(error)}. The storage contract suite runs on real PostgreSQL and is never skipped. ` +
    'Start the server as .ci/run does: `pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start`, ' +
    'or set MOAT_TEST_POSTGRES_URL to another server.'
  );
}
