import type { Command } from 'commander';
import { deleteCredential, listCredentials, putCredential } from '../admin/index.ts';
import type { AdminContext, CredentialView } from '../admin/index.ts';
import { AdminValidationError } from '../admin/index.ts';
import { ConfigError } from '../config/index.ts';
import { MoatError } from '../errors/index.ts';
import { DEFAULT_SQLITE_PATH, openStorage } from '../storage/index.ts';
import type { StorageOptions } from '../storage/index.ts';
import { loadMasterKeys } from './master-key.ts';

interface StorageFlags {
  db?: string;
  json?: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads the whole of stdin; the CLI's only way in for a secret besides a named environment variable. */
export type ReadSecretInput = () => Promise<{ text: string; interactive: boolean }>;

/**
 * `moat credentials set|list|delete`: the admin API's credential handlers with the `admin` role, on
 * the database `--db` (a file, or a postgres:// URL), else `DATABASE_URL`, else the embedded default.
 * The value never comes as an argument, where shell history and `ps` would keep it: it is read from
 * stdin, or from the environment variable `--value-env` names.
 */
export function registerCredentialCommands(program: Command, env: Env = process.env, readInput: ReadSecretInput = readStdin): void {
  const credentials = program.command('credentials').description('Store provider API keys in the database, encrypted with MOAT_MASTER_KEY.');
  withStorage(
    credentials
      .command('set <name>')
      .description('Store (or replace) a credential; the value is read from stdin, or from --value-env.')
      .option('--value-env <VAR>', 'take the value from this environment variable instead of stdin'),
  ).action(async (name: string, options: StorageFlags & { valueEnv?: string }, command: Command) => {
    const value = await secretValue(command, options.valueEnv, env, readInput);
    const { status, body } = await runAdmin(command, options, env, (ctx) => putCredential(ctx, { params: { name }, body: { value } }));
    const view = body as CredentialView;
    print(command, options, view, () => `${status === 201 ? 'Stored' : 'Replaced'} credential ${view.name} (master key version ${view.keyVersion}).\n`);
  });
  withStorage(credentials.command('list').description('List stored credentials (names and dates, never values).')).action(async (options: StorageFlags, command: Command) => {
    const { body } = await runAdmin(command, options, env, (ctx) => listCredentials(ctx, {}));
    const rows = (body.data as CredentialView[]).map((c) => [c.name, String(c.keyVersion), c.createdAt, c.updatedAt]);
    print(command, options, body, () => (rows.length === 0 ? 'No credentials.\n' : table(['NAME', 'KEY VERSION', 'CREATED', 'UPDATED'], rows)));
  });
  withStorage(credentials.command('delete <name>').description('Delete a stored credential.')).action(async (name: string, options: StorageFlags, command: Command) => {
    const { body } = await runAdmin(command, options, env, (ctx) => deleteCredential(ctx, { params: { name } }));
    print(command, options, body, () => `Deleted credential ${name}.\n`);
  });
}

async function readStdin(): Promise<{ text: string; interactive: boolean }> {
  if (process.stdin.isTTY) return { text: '', interactive: true };
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return { text: Buffer.concat(chunks).toString('utf8'), interactive: false };
}

async function secretValue(command: Command, valueEnv: string | undefined, env: Env, readInput: ReadSecretInput): Promise<string> {
  if (valueEnv !== undefined) {
    const value = env[valueEnv];
    if (value === undefined || value === '') return command.error(`error: the environment variable ${valueEnv} is not set`, { exitCode: 1 });
    return value;
  }
  const input = await readInput();
  if (input.interactive) {
    // A terminal would echo the key; a pipe or a variable keeps it off the screen.
    return command.error('error: pipe the value on stdin (e.g. `pass show openai | moat credentials set openai`) or name a variable with --value-env', { exitCode: 1 });
  }
  // `echo`, heredocs and files end in a newline that is not part of the key.
  const value = input.text.replace(/\r?\n$/, '');
  if (value === '') return command.error('error: stdin was empty; pipe the value in, or use --value-env', { exitCode: 1 });
  return value;
}

function withStorage(command: Command): Command {
  return command
    .option('--db <path>', `SQLite file or postgres:// URL (default: $DATABASE_URL, else ${DEFAULT_SQLITE_PATH})`)
    .option('--json', 'print JSON for machines');
}

function storageOptions(flags: StorageFlags, env: Env): StorageOptions {
  const target = flags.db ?? env.DATABASE_URL;
  if (target === undefined || target === '') return { path: DEFAULT_SQLITE_PATH };
  return /^postgres(ql)?:\/\//i.test(target) ? { url: target } : { path: target };
}

/** Opens and migrates storage, runs `work` as an admin with the master keys, closes; a MoatError or ConfigError becomes a CLI error (exit 1). */
async function runAdmin<T>(command: Command, flags: StorageFlags, env: Env, work: (ctx: AdminContext) => Promise<T>): Promise<T> {
  let masterKeys;
  try {
    masterKeys = loadMasterKeys(env);
  } catch (error) {
    if (error instanceof ConfigError) return command.showHelpAfterError(false).error(`error: ${error.problems.join('\n  ')}`, { exitCode: 1, code: 'moat.master_key' });
    throw error;
  }
  const storage = openStorage(storageOptions(flags, env));
  let outcome: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    await storage.migrate();
    outcome = { ok: true, value: await work({ stores: storage, role: 'admin', now: Date.now(), masterKeys }) };
  } catch (error) {
    outcome = { ok: false, error };
  } finally {
    await storage.close();
  }
  if (outcome.ok) return outcome.value;
  if (outcome.error instanceof MoatError) {
    command.showHelpAfterError(false).error(describeError(outcome.error), { exitCode: 1, code: `moat.${outcome.error.code}` });
  }
  throw outcome.error;
}

function describeError(error: MoatError): string {
  if (!(error instanceof AdminValidationError)) return `error: ${error.message}`;
  const source = (param: string) => (param === 'value' ? 'value (stdin or --value-env)' : param === 'name' ? '<name>' : param);
  return ['error: invalid input', ...error.fields.map((f) => `  ${source(f.param)}: ${f.message}`)].join('\n');
}

function print(command: Command, flags: StorageFlags, value: unknown, text: () => string): void {
  command.configureOutput().writeOut!(flags.json ? `${JSON.stringify(value, null, 2)}\n` : text());
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return `${[header, ...rows].map(line).join('\n')}\n`;
}
