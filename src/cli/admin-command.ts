import type { Command } from 'commander';
import type { AdminContext } from '../admin/index.ts';
import { AdminValidationError } from '../admin/index.ts';
import { MoatError } from '../errors/index.ts';
import { DEFAULT_SQLITE_PATH, openStorage } from '../storage/index.ts';
import type { StorageOptions } from '../storage/index.ts';

/** The flags every admin command (`moat tenants|keys|budgets|usage|credentials …`) takes. */
export interface StorageFlags {
  db?: string;
  json?: boolean;
}

export type Env = Readonly<Record<string, string | undefined>>;

export interface AdminCommandOptions {
  /** The flag or argument to name for a handler's field in a validation error. */
  flagFor?: (param: string) => string;
  /** More of the admin context (e.g. the master keys for credentials). */
  context?: Partial<AdminContext>;
}

export function withStorage(command: Command): Command {
  return command
    .option('--db <path>', `SQLite file or postgres:// URL (default: $DATABASE_URL, else ${DEFAULT_SQLITE_PATH})`)
    .option('--json', 'print JSON for machines');
}

/** `--db`, else `DATABASE_URL`, else the embedded default. */
export function storageOptions(flags: StorageFlags, env: Env): StorageOptions {
  const target = flags.db ?? env.DATABASE_URL;
  if (target === undefined || target === '') return { path: DEFAULT_SQLITE_PATH };
  return /^postgres(ql)?:\/\//i.test(target) ? { url: target } : { path: target };
}

/**
 * Opens and migrates storage, runs `work` as an admin (the admin API's handlers, so the CLI and HTTP
 * agree), closes; a MoatError becomes a CLI error (exit 1) naming the flags at fault.
 */
export async function runAdminCommand<T>(command: Command, flags: StorageFlags, env: Env, work: (ctx: AdminContext) => Promise<T>, options: AdminCommandOptions = {}): Promise<T> {
  const storage = openStorage(storageOptions(flags, env));
  let outcome: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    await storage.migrate();
    outcome = { ok: true, value: await work({ stores: storage, role: 'admin', now: Date.now(), ...options.context }) };
  } catch (error) {
    outcome = { ok: false, error };
  } finally {
    await storage.close();
  }
  if (outcome.ok) return outcome.value;
  if (outcome.error instanceof MoatError) {
    // Usage help would bury an answer from the store (not found, already exists).
    command.showHelpAfterError(false).error(describeError(outcome.error, options.flagFor ?? ((p) => p)), { exitCode: 1, code: `moat.${outcome.error.code}` });
  }
  throw outcome.error;
}

function describeError(error: MoatError, flagFor: (param: string) => string): string {
  if (!(error instanceof AdminValidationError)) return `error: ${error.message}`;
  return ['error: invalid input', ...error.fields.map((f) => `  ${flagFor(f.param)}: ${f.message}`)].join('\n');
}

export function print(command: Command, flags: StorageFlags, value: unknown, text: () => string): void {
  command.configureOutput().writeOut!(flags.json ? `${JSON.stringify(value, null, 2)}\n` : text());
}

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return `${[header, ...rows].map(line).join('\n')}\n`;
}
