import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCli } from '../cli/main.ts';
import { hashApiKey } from './hash-api-key.ts';
import { openStorage } from '../storage/index.ts';
import { registerKeyCommands } from './cli.ts';
import { KeyRegistry } from './key-registry.ts';

const dir = mkdtempSync(join(tmpdir(), 'moat-cli-'));
const db = join(dir, 'moat.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `moat …` in-process; a fresh program each time, as each real run is a fresh process. */
async function moat(args: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const program = new Command('moat').exitOverride().configureOutput({ writeOut: (s) => (stdout += s), writeErr: (s) => (stderr += s) });
  registerKeyCommands(program, env);
  let exitCode = 0;
  try {
    await program.parseAsync(['node', 'moat', ...args]);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    exitCode = error.exitCode;
  }
  return { stdout, stderr, exitCode };
}

async function lookup(key: string) {
  const storage = openStorage({ path: db });
  try {
    return await new KeyRegistry(storage.keys).lookup(hashApiKey(key), Date.now());
  } finally {
    await storage.close();
  }
}

describe('moat tenants and moat keys', () => {
  it('is registered on the real CLI', () => {
    expect(buildCli().commands.map((c) => c.name())).toEqual(expect.arrayContaining(['serve', 'tenants', 'keys']));
  });

  it('creates and lists tenants, as a table and as JSON', async () => {
    expect((await moat(['tenants', 'create', 'acme', '--metadata', '{"plan":"gold"}', '--db', db])).stdout).toMatch(/^Created tenant acme \(.+\)\.\n$/);
    const table = (await moat(['tenants', 'list', '--db', db])).stdout.split('\n');
    expect(table[0]).toMatch(/^ID\s+NAME\s+CREATED$/);
    expect(table[1]).toMatch(/\sacme\s/);
    const json = JSON.parse((await moat(['tenants', 'list', '--json', '--db', db])).stdout);
    expect(json.data).toEqual([expect.objectContaining({ name: 'acme', metadata: { plan: 'gold' } })]);
  });

  it('takes the database from DATABASE_URL when --db is absent', async () => {
    expect((await moat(['tenants', 'list', '--json'], { DATABASE_URL: db })).stdout).toContain('"acme"');
  });

  it('fails with exit 1 and the error for a taken tenant name', async () => {
    const run = await moat(['tenants', 'create', 'acme', '--db', db]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/already exists/);
  });

  it('creates a key, printed once with a warning, that authenticates; lists it by prefix only', async () => {
    const run = await moat(['keys', 'create', '--tenant', 'acme', '--name', 'ci', '--tier', 'priority', '--class', 'external', '--models', 'gpt-4o, claude-sonnet', '--expires', '2099-01-01', '--db', db]);
    const key = /moat_sk_[0-9A-Za-z]{33}/.exec(run.stdout)![0];
    expect(run.stderr).toMatch(/will not show it again/);
    expect(await lookup(key)).toMatchObject({ name: 'ci', tier: 'priority', class: 'external', allowedModels: ['gpt-4o', 'claude-sonnet'], expiresAt: Date.UTC(2099, 0, 1) });

    const list = await moat(['keys', 'list', '--tenant', 'acme', '--db', db]);
    expect(list.stdout).toMatch(/^ID\s+TENANT\s+NAME\s+PREFIX\s+TIER\s+CLASS\s+STATUS\s+EXPIRES\n/);
    expect(list.stdout).toContain(key.slice(0, 12));
    expect(list.stdout).not.toContain(key);
    expect(list.stdout).toMatch(/acme\s+ci\s+moat_sk_\w{4}\s+priority\s+external\s+active\s+2099-01-01T00:00:00.000Z/);
  });

  it('lists every field error against the flags', async () => {
    const run = await moat(['keys', 'create', '--tenant', 'acme', '--name', 'x', '--class', 'vip', '--expires', 'soon', '--db', db]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/--class: .*\n\s+--expires: must be an ISO 8601 date/);
  });

  it('rotates and revokes by id, with JSON output', async () => {
    const created = JSON.parse((await moat(['keys', 'create', '--tenant', 'acme', '--name', 'turn', '--json', '--db', db])).stdout);
    const rotated = await moat(['keys', 'rotate', created.record.id, '--json', '--db', db]);
    const next = JSON.parse(rotated.stdout);
    expect(next.key).not.toBe(created.key);
    expect(rotated.stderr).toMatch(/will not show it again/);
    expect(await lookup(created.key)).toBeUndefined();
    expect(await lookup(next.key)).toBeDefined();

    const revoked = await moat(['keys', 'revoke', next.record.id, '--db', db]);
    expect(revoked.stdout).toMatch(/^Revoked key .+ \(turn, moat_sk_\w{4}…\)\.\n$/);
    expect(await lookup(next.key)).toBeUndefined();
    const missing = await moat(['keys', 'revoke', 'no-such-id', '--db', db]);
    expect(missing).toMatchObject({ exitCode: 1, stderr: expect.stringMatching(/No key has the id/) });
  });

  it('says so when there is nothing to list', async () => {
    const empty = join(dir, 'empty.db');
    expect((await moat(['keys', 'list', '--db', empty])).stdout).toBe('No keys.\n');
    expect((await moat(['tenants', 'list', '--db', empty])).stdout).toBe('No tenants.\n');
  });

  it('creates, lists and deletes budgets, with field errors against the flags', async () => {
    const created = await moat(['budgets', 'create', '--tenant', 'acme', '--period', 'month', '--limit-usd', '12.5', '--json', '--db', db]);
    const budget = JSON.parse(created.stdout);
    expect(budget).toMatchObject({ scope: 'tenant', period: 'month', mode: 'hard', limitUsd: '12.500000', spentUsd: '0.000000' });
    const listed = await moat(['budgets', 'list', '--tenant', 'acme', '--db', db]);
    expect(listed.stdout).toMatch(new RegExp(`${budget.id}\\s+tenant:\\S+\\s+month\\s+hard\\s+12\\.500000\\s+0\\.000000`));
    const bad = await moat(['budgets', 'create', '--tenant', 'acme', '--period', 'week', '--limit-usd', 'lots', '--db', db]);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toMatch(/--period: .*\n\s+--limit-usd: must be a dollar amount/);
    expect((await moat(['budgets', 'delete', budget.id, '--db', db])).stdout).toBe(`Deleted budget ${budget.id}.\n`);
    expect((await moat(['budgets', 'list', '--db', db])).stdout).toBe('No budgets.\n');
  });
});
