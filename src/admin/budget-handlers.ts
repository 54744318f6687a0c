import { z } from 'zod';
import { nextPeriodStart, periodStart } from '../budgets/index.ts';
import { MoatError } from '../errors/index.ts';
import { formatUsd } from '../pricing/index.ts';
import type { Budget, EpochMs } from '../storage/index.ts';
import type { AdminHandler, AdminStores, JsonValue } from './admin-context.ts';
import { AdminValidationError, parseAdminInput } from './admin-validation.ts';
import { resolveTenant } from './tenant-handlers.ts';

/** Dollars as a decimal string or number, to the micro-dollar: "25", "0.5", 12.75. */
const usdAmount = z
  .union([z.string(), z.number()])
  .transform((v) => String(v))
  .refine((s) => /^\d{1,12}(\.\d{1,6})?$/.test(s), 'must be a dollar amount with at most 6 decimals, e.g. "25" or "0.50"')
  .transform((s) => {
    const [whole, fraction = ''] = s.split('.');
    return BigInt(whole!) * 1_000_000n + BigInt(fraction.padEnd(6, '0'));
  });

const createBudgetBody = z
  .strictObject({
    key: z.string().min(1).optional(),
    tenant: z.string().min(1).optional(),
    period: z.enum(['day', 'month', 'total']),
    limitUsd: usdAmount,
    mode: z.enum(['hard', 'soft']).default('hard'),
    name: z.string().trim().min(1).max(200).optional(),
  })
  .refine((b) => (b.key === undefined) !== (b.tenant === undefined), { message: 'give exactly one of key or tenant', path: ['key'] });

const listBudgetsQuery = z.object({ key: z.string().min(1).optional(), tenant: z.string().min(1).optional() });

/** Config keys (`auth.keys`) are budgeted by their ledger id `config:<name>`, in the `default` tenant. */
const CONFIG_KEY_PREFIX = 'config:';
const CONFIG_TENANT = 'default';

async function scopeOf(stores: AdminStores, key: string | undefined, tenant: string | undefined): Promise<{ scope: Budget['scope']; scopeId: string }> {
  if (key !== undefined) {
    if (key.startsWith(CONFIG_KEY_PREFIX)) return { scope: 'key', scopeId: key };
    if ((await stores.keys.get(key)) === undefined) throw new MoatError('key_not_found', `No key has the id '${key}'.`, { param: 'key' });
    return { scope: 'key', scopeId: key };
  }
  if (tenant === CONFIG_TENANT) return { scope: 'tenant', scopeId: CONFIG_TENANT };
  return { scope: 'tenant', scopeId: (await resolveTenant(stores, tenant!, 'tenant')).id };
}

/** A budget with its current period's counters, amounts as exact decimal dollars. */
async function budgetView(stores: AdminStores, budget: Budget, now: EpochMs): Promise<{ [key: string]: JsonValue }> {
  const start = periodStart(budget.period, now);
  const { spentMicros, reservedMicros } = await stores.budgets.usage(budget.id, start);
  const remaining = budget.limitMicros - spentMicros - reservedMicros;
  const resetsAt = nextPeriodStart(budget.period, start);
  return {
    id: budget.id,
    scope: budget.scope,
    scopeId: budget.scopeId,
    period: budget.period,
    mode: budget.mode,
    name: budget.name,
    limitUsd: formatUsd(budget.limitMicros),
    spentUsd: formatUsd(spentMicros),
    reservedUsd: formatUsd(reservedMicros),
    remainingUsd: formatUsd(remaining > 0n ? remaining : 0n),
    periodStart: new Date(start).toISOString(),
    resetsAt: resetsAt === null ? null : new Date(resetsAt).toISOString(),
    createdAt: new Date(budget.createdAt).toISOString(),
  };
}

/** `POST /admin/budgets` — `{ key | tenant, period, limitUsd, mode?, name? }`. */
export const createBudget: AdminHandler = async ({ stores, now }, { body }) => {
  const input = parseAdminInput(createBudgetBody, body, 'body');
  if (input.limitUsd === 0n && input.mode === 'soft') throw new AdminValidationError([{ param: 'limitUsd', message: 'must be above 0 for a soft budget' }]);
  const scope = await scopeOf(stores, input.key, input.tenant);
  const budget = await stores.budgets.create({ ...scope, period: input.period, limitMicros: input.limitUsd, mode: input.mode, name: input.name ?? null });
  return { status: 201, body: await budgetView(stores, budget, now) };
};

/** `GET /admin/budgets?key=&tenant=` — every budget without a filter, with this period's spend. */
export const listBudgets: AdminHandler = async ({ stores, now }, { query }) => {
  const filter = parseAdminInput(listBudgetsQuery, query ?? {}, 'query');
  if (filter.key !== undefined && filter.tenant !== undefined) throw new AdminValidationError([{ param: 'key', message: 'give at most one of key or tenant' }]);
  const budgets = filter.key === undefined && filter.tenant === undefined ? await stores.budgets.list() : await stores.budgets.list(await scopeOf(stores, filter.key, filter.tenant));
  const data: JsonValue[] = [];
  for (const budget of budgets) data.push(await budgetView(stores, budget, now));
  return { status: 200, body: { object: 'list', data } };
};

/** `GET /admin/budgets/:id` */
export const getBudget: AdminHandler = async ({ stores, now }, { params }) => {
  return { status: 200, body: await budgetView(stores, await findBudget(stores, params?.id), now) };
};

/** `DELETE /admin/budgets/:id` — the budget and its counters. */
export const deleteBudget: AdminHandler = async ({ stores }, { params }) => {
  const budget = await findBudget(stores, params?.id);
  await stores.budgets.delete(budget.id);
  return { status: 200, body: { id: budget.id, deleted: true } };
};

async function findBudget(stores: AdminStores, id: string | undefined): Promise<Budget> {
  const budget = id ? await stores.budgets.get(id) : undefined;
  if (budget === undefined) throw new MoatError('budget_not_found', `No budget has the id '${id ?? ''}'.`, { param: 'id' });
  return budget;
}
