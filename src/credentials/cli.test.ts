import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCli } from '../cli/main.ts';
import { openStorage } from '../storage/index.ts';
import { registerCredentialCommands } from './cli.ts';
import { loadMasterKeys } from './master-key.ts';
import { openCredential } from './seal-credential.ts';

const dir = mkdtempSync(join(tmpdir(), 'moat-credentials-cli-'));
const db = join(dir, 'moat.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const KEYED = { MOAT_MASTER_KEY: randomBytes(32).toString('base64') };
const SECRET = 'sk-cli-secret-0123456789abcdef';

/** Runs `moat …` in-process, with `stdin` as what was piped in (null: a terminal). */
async function moat(args: string[], options: { env?: Record<string, string>; stdin?: string | null } = {}) {
  let stdout = '';
  let stderr = '';
  const program = new Command('moat').exitOverride().configureOutput({ writeOut: (s) => (stdout += s), writeErr: (s) => (stderr += s) });
  const stdin = options.stdin === undefined ? '' : options.stdin;
  registerCredentialCommands(program, { ...KEYED, ...options.env }, async () => (stdin === null ? { text: '', interactive: true } : { text: stdin, interactive: false }));
  let exitCode = 0;
  try {
    await program.parseAsync(['node', 'moat', ...args, '--db', db]);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    exitCode = error.exitCode;
  }
  expect(stdout + stderr).not.toContain(SECRET);
  return { stdout, stderr, exitCode };
}

async function storedValue(name: string): Promise<string | undefined> {
  const storage = openStorage({ path: db });
  try {
    const row = await storage.credentials.get(name);
    return row && openCredential(row, loadMasterKeys(KEYED)!);
  } finally {
    await storage.close();
  }
}

describe('moat credentials', () => {
  it('is registered on the real CLI', () => {
    expect(buildCli().commands.map((c) => c.name())).toContain('credentials');
  });

  it('set reads the value from stdin, without its final newline, and stores it encrypted', async () => {
    const run = await moat(['credentials', 'set', 'openai'], { stdin: `${SECRET}\n` });
    expect(run).toMatchObject({ exitCode: 0, stdout: 'Stored credential openai (master key version 1).\n' });
    expect(await storedValue('openai')).toBe(SECRET);
    expect((await moat(['credentials', 'set', 'openai'], { stdin: `sk-second\r\n` })).stdout).toMatch(/^Replaced credential openai/);
    expect(await storedValue('openai')).toBe('sk-second');
  });

  it('set --value-env takes the value from the named variable', async () => {
    const run = await moat(['credentials', 'set', 'anthropic', '--value-env', 'ANTHROPIC_KEY', '--json'], { env: { ANTHROPIC_KEY: SECRET } });
    expect(JSON.parse(run.stdout)).toMatchObject({ name: 'anthropic', keyVersion: 1 });
    expect(await storedValue('anthropic')).toBe(SECRET);
  });

  it('set refuses a terminal, empty stdin, an unset variable, a bad value and a missing master key', async () => {
    const cases: Array<[string[], Parameters<typeof moat>[1], RegExp]> = [
      [['credentials', 'set', 'x'], { stdin: null }, /pipe the value on stdin/],
      [['credentials', 'set', 'x'], { stdin: '\n' }, /stdin was empty/],
      [['credentials', 'set', 'x', '--value-env', 'NOPE'], {}, /NOPE is not set/],
      [['credentials', 'set', 'bad name'], { stdin: 'has space' }, /<name>: must be[\s\S]*value \(stdin or --value-env\): must be visible ASCII/],
      [['credentials', 'set', 'x'], { stdin: 'sk-x', env: { MOAT_MASTER_KEY: '' } }, /MOAT_MASTER_KEY is not set/],
      [['credentials', 'set', 'x'], { stdin: 'sk-x', env: { MOAT_MASTER_KEY: 'short' } }, /MOAT_MASTER_KEY: must be a 32-byte key/],
    ];
    for (const [args, options, message] of cases) {
      const run = await moat(args, options);
      expect(run.exitCode, args.join(' ')).toBe(1);
      expect(run.stderr).toMatch(message);
    }
    expect(await storedValue('x')).toBeUndefined();
  });

  it('list shows names, versions and dates only; delete removes, then fails with exit 1', async () => {
    const table = (await moat(['credentials', 'list'])).stdout.split('\n');
    expect(table[0]).toMatch(/^NAME\s+KEY VERSION\s+CREATED\s+UPDATED$/);
    expect(table.slice(1, 3).map((line) => line.split(/\s+/)[0])).toEqual(['anthropic', 'openai']);
    // Listing needs no master key.
    expect(JSON.parse((await moat(['credentials', 'list', '--json'], { env: { MOAT_MASTER_KEY: '' } })).stdout).data).toHaveLength(2);

    expect((await moat(['credentials', 'delete', 'anthropic'])).stdout).toBe('Deleted credential anthropic.\n');
    const again = await moat(['credentials', 'delete', 'anthropic']);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain("No credential is stored under the name 'anthropic'");
  });
});
