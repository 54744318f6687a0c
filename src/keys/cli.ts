import type { Command } from 'commander';
import { createBudget, createKey, createTenant, deleteBudget, getUsage, listBudgets, listKeys, listTenants, revokeKey, rotateKey } from '../admin/index.ts';
import type { AdminContext, AdminResult, KeyView, TenantView } from '../admin/index.ts';
import { print, runAdminCommand, table, withStorage, type Env, type StorageFlags } from '../cli/admin-command.ts';

/** The admin handlers with the `admin` role, validation errors named by this CLI's flags. */
function runAdmin<T>(command: Command, flags: StorageFlags, env: Env, work: (ctx: AdminContext) => Promise<T>): Promise<T> {
  return runAdminCommand(command, flags, env, work, { flagFor: (param) => FLAG_FOR_PARAM[param] ?? param });
}

/** Handler fields named as the CLI's flags, so a validation error points at what to type. */
const FLAG_FOR_PARAM: Record<string, string> = { tenant: '--tenant', name: '--name', tier: '--tier', class: '--class', allowedModels: '--models', expiresAt: '--expires', metadata: '--metadata', groupBy: '--group-by', from: '--from', to: '--to', key: '--key', period: '--period', limitUsd: '--limit-usd', mode: '--mode' };

interface BudgetRow {
  id: string;
  scope: string;
  scopeId: string;
  period: string;
  mode: string;
  limitUsd: string;
  spentUsd: string;
  reservedUsd: string;
  resetsAt: string | null;
}

/**
 * `moat tenants …`, `moat keys …`, `moat budgets …` and `moat usage`: the admin API's handlers with the `admin` role, on the database
 * `--db` (a file, or a postgres:// URL), else `DATABASE_URL`, else the embedded default.
 */
export function registerKeyCommands(program: Command, env: Env = process.env): void {
  const tenants = program.command('tenants').description('Create and list tenants.');
  withStorage(tenants.command('create <name>').description('Create a tenant.').option('--metadata <json>', 'a JSON object kept with the tenant'))
    .action(async (name: string, options: StorageFlags & { metadata?: string }, command: Command) => {
      const body = { name, ...(options.metadata === undefined ? {} : { metadata: parseJsonFlag(command, '--metadata', options.metadata) }) };
      const { body: tenant } = await runAdmin(command, options, env, (ctx) => createTenant(ctx, { body }));
      print(command, options, tenant, () => `Created tenant ${tenant.name} (${tenant.id}).\n`);
    });
  withStorage(tenants.command('list').description('List tenants.')).action(async (options: StorageFlags, command: Command) => {
    const { body } = await runAdmin(command, options, env, (ctx) => listTenants(ctx, {}));
    const rows = (body.data as TenantView[]).map((t) => [t.id, t.name, t.createdAt]);
    print(command, options, body, () => (rows.length === 0 ? 'No tenants.\n' : table(['ID', 'NAME', 'CREATED'], rows)));
  });

  withStorage(
    program
      .command('usage')
      .description('Spend from the ledger by key, tenant, model, provider or UTC day.')
      .option('--group-by <field>', 'key, tenant, model, provider, day or request', 'day')
      .option('--from <date>', 'first UTC day, YYYY-MM-DD (default: 30 days before --to)')
      .option('--to <date>', 'last UTC day, YYYY-MM-DD (default: today)')
      .option('--tenant <id>', 'only this tenant')
      .option('--csv', 'CSV for spreadsheets'),
  ).action(async (options: StorageFlags & { groupBy: string; from?: string; to?: string; tenant?: string; csv?: boolean }, command: Command) => {
    const query: Record<string, string> = { groupBy: options.groupBy, format: options.csv ? 'csv' : 'json' };
    if (options.from) query.from = options.from;
    if (options.to) query.to = options.to;
    if (options.tenant) query.tenant = options.tenant;
    const result = await runAdmin(command, options, env, (ctx) => getUsage(ctx, { query }));
    if (result.csv !== undefined) {
      command.configureOutput().writeOut!(result.csv);
      return;
    }
    type UsageLine = { group: string; requests: number; inputTokens: number; outputTokens: number; reasoningTokens: number; costUsd: string; baselineCostUsd: string | null; savingsUsd: string | null };
    const data = result.body.data as UsageLine[];
    const rows = data.map((r) => [r.group, String(r.requests), String(r.inputTokens), String(r.outputTokens), String(r.reasoningTokens), r.costUsd, r.baselineCostUsd ?? '-', r.savingsUsd ?? '-']);
    const header = [options.groupBy.toUpperCase(), 'REQUESTS', 'INPUT', 'OUTPUT', 'REASONING', 'COST USD', 'BASELINE USD', 'SAVED USD'];
    print(command, options, result.body, () => (rows.length === 0 ? 'No usage.\n' : table(header, rows)));
  });

  const budgets = program.command('budgets').description('Set spend limits per key or tenant (docs/budgets.md).');
  withStorage(
    budgets
      .command('create')
      .description('Add a budget to a key or a tenant.')
      .option('--key <id>', 'the key id (config keys: config:<name>)')
      .option('--tenant <tenant>', 'tenant id or name')
      .requiredOption('--period <period>', 'day, month or total (UTC)')
      .requiredOption('--limit-usd <amount>', 'the limit in dollars, e.g. 25 or 0.50')
      .option('--mode <mode>', 'hard (refuse requests, default) or soft (alert only)', 'hard')
      .option('--name <name>', 'a label'),
  ).action(async (options: StorageFlags & { key?: string; tenant?: string; period: string; limitUsd: string; mode: string; name?: string }, command: Command) => {
    const body = { key: options.key, tenant: options.tenant, period: options.period, limitUsd: options.limitUsd, mode: options.mode, name: options.name };
    const { body: budget } = await runAdmin(command, options, env, (ctx) => createBudget(ctx, { body }));
    print(command, options, budget, () => `Created ${String(budget.mode)} ${String(budget.period)} budget ${String(budget.id)} of $${String(budget.limitUsd)} on ${String(budget.scope)} ${String(budget.scopeId)}.\n`);
  });
  withStorage(
    budgets.command('list').description("List budgets with this period's spend.").option('--key <id>', 'only this key').option('--tenant <tenant>', 'only this tenant'),
  ).action(async (options: StorageFlags & { key?: string; tenant?: string }, command: Command) => {
    const query: Record<string, string> = {};
    if (options.key) query.key = options.key;
    if (options.tenant) query.tenant = options.tenant;
    const { body } = await runAdmin(command, options, env, (ctx) => listBudgets(ctx, { query }));
    const rows = (body.data as unknown as BudgetRow[]).map((b) => [b.id, `${b.scope}:${b.scopeId}`, b.period, b.mode, b.limitUsd, b.spentUsd, b.reservedUsd, b.resetsAt ?? '-']);
    print(command, options, body, () => (rows.length === 0 ? 'No budgets.\n' : table(['ID', 'SCOPE', 'PERIOD', 'MODE', 'LIMIT USD', 'SPENT USD', 'RESERVED USD', 'RESETS'], rows)));
  });
  withStorage(budgets.command('delete <id>').description('Delete a budget and its counters.')).action(async (id: string, options: StorageFlags, command: Command) => {
    const { body } = await runAdmin(command, options, env, (ctx) => deleteBudget(ctx, { params: { id } }));
    print(command, options, body, () => `Deleted budget ${id}.\n`);
  });

  const keys = program.command('keys').description('Create, list, revoke and rotate client keys.');
  withStorage(
    keys
      .command('create')
      .description('Create a key; it is printed once and never shown again.')
      .requiredOption('--tenant <tenant>', 'tenant id or name')
      .requiredOption('--name <name>', 'a name to tell the key apart')
      .option('--tier <tier>', 'priority class for rate limits and queues (default standard)')
      .option('--class <class>', 'internal (default) or external')
      .option('--models <a,b>', 'allowed models, comma-separated (default: all)')
      .option('--expires <ISO>', 'expiry, an ISO 8601 date or time')
      .option('--metadata <json>', 'a JSON object kept with the key'),
  ).action(async (options: StorageFlags & { tenant: string; name: string; tier?: string; class?: string; models?: string; expires?: string; metadata?: string }, command: Command) => {
    const body = {
      tenant: options.tenant,
      name: options.name,
      tier: options.tier,
      class: options.class,
      allowedModels: options.models?.split(',').map((m) => m.trim()).filter((m) => m !== ''),
      expiresAt: options.expires,
      metadata: options.metadata === undefined ? undefined : parseJsonFlag(command, '--metadata', options.metadata),
    };
    printSecret(command, options, await runAdmin(command, options, env, (ctx) => createKey(ctx, { body })));
  });
  withStorage(keys.command('list').description('List keys (prefixes only).').option('--tenant <tenant>', 'only this tenant (id or name)')).action(
    async (options: StorageFlags & { tenant?: string }, command: Command) => {
      const query: Record<string, string> = options.tenant === undefined ? {} : { tenant: options.tenant };
      const [listed, tenantList] = await runAdmin(command, options, env, (ctx) => Promise.all([listKeys(ctx, { query }), listTenants(ctx, {})]));
      const names = new Map((tenantList.body.data as TenantView[]).map((t) => [t.id, t.name]));
      const rows = (listed.body.data as KeyView[]).map((k) => [k.id, names.get(k.tenantId) ?? k.tenantId, k.name, k.keyPrefix, k.tier, k.class, k.status, k.expiresAt ?? '-']);
      print(command, options, listed.body, () => (rows.length === 0 ? 'No keys.\n' : table(['ID', 'TENANT', 'NAME', 'PREFIX', 'TIER', 'CLASS', 'STATUS', 'EXPIRES'], rows)));
    },
  );
  withStorage(keys.command('revoke <id>').description('Revoke a key; every gateway refuses it within seconds.')).action(async (id: string, options: StorageFlags, command: Command) => {
    const { body: key } = await runAdmin(command, options, env, (ctx) => revokeKey(ctx, { params: { id } }));
    print(command, options, key, () => `Revoked key ${key.id} (${key.name}, ${key.keyPrefix}…).\n`);
  });
  withStorage(keys.command('rotate <id>').description('Revoke a key and create its replacement, printed once.')).action(async (id: string, options: StorageFlags, command: Command) => {
    printSecret(command, options, await runAdmin(command, options, env, (ctx) => rotateKey(ctx, { params: { id } })));
  });
}





function parseJsonFlag(command: Command, flag: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return command.error(`error: ${flag} must be JSON, e.g. '{"team":"search"}'`, { exitCode: 1 });
  }
}


function printSecret(command: Command, flags: StorageFlags, result: AdminResult): void {
  const { key, warning, record } = result.body as { key: string; warning: string; record: KeyView };
  print(command, flags, result.body, () => `Key ${record.id} (${record.name}) for tenant ${record.tenantId}:\n\n  ${key}\n\n`);
  // On stderr, so `--json` output and the key on stdout stay clean for pipes.
  command.configureOutput().writeErr!(`warning: ${warning}\n`);
}

