import type { Command } from 'commander';
import { deleteCredential, listCredentials, putCredential } from '../admin/index.ts';
import type { AdminContext, CredentialView } from '../admin/index.ts';
import { print, runAdminCommand, table, withStorage, type Env, type StorageFlags } from '../cli/admin-command.ts';
import { ConfigError } from '../config/index.ts';
import { loadMasterKeys } from './master-key.ts';

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



/** The admin handlers with the `admin` role and the master keys; a bad master key is a CLI error (exit 1). */
function runAdmin<T>(command: Command, flags: StorageFlags, env: Env, work: (ctx: AdminContext) => Promise<T>): Promise<T> {
  let masterKeys;
  try {
    masterKeys = loadMasterKeys(env);
  } catch (error) {
    if (error instanceof ConfigError) return command.showHelpAfterError(false).error(`error: ${error.problems.join('\n  ')}`, { exitCode: 1, code: 'moat.master_key' });
    throw error;
  }
  const flagFor = (param: string) => (param === 'value' ? 'value (stdin or --value-env)' : param === 'name' ? '<name>' : param);
  return runAdminCommand(command, flags, env, work, { flagFor, context: { masterKeys } });
}



