import { z } from 'zod';
import { formatUsd } from '../pricing/index.ts';
import type { SpendRow } from '../storage/index.ts';
import type { AdminHandler, AdminResult } from './admin-context.ts';
import { parseAdminInput } from './admin-validation.ts';

const DAY_MS = 86_400_000;

const usageQuery = z.strictObject({
  groupBy: z.enum(['key', 'tenant', 'model', 'provider', 'day', 'request']).default('day'),
  from: z.iso.date().optional().describe('First UTC day, inclusive; default 30 days before `to`.'),
  to: z.iso.date().optional().describe('Last UTC day, inclusive; default today.'),
  tenant: z.string().min(1).optional(),
  key: z.string().min(1).optional(),
  format: z.enum(['json', 'csv']).default('json'),
});

const CSV_COLUMNS = ['group', 'requests', 'input_tokens', 'cached_input_tokens', 'cache_write_tokens', 'output_tokens', 'reasoning_tokens', 'cost_usd', 'baseline_cost_usd', 'savings_usd'] as const;

const usdOrNull = (micros: bigint | null): string | null => (micros === null ? null : formatUsd(micros));

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function toCsv(rows: readonly SpendRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const row of rows) {
    lines.push(
      [
        row.group, row.requests, row.inputTokens, row.cachedInputTokens, row.cacheWriteTokens, row.outputTokens, row.reasoningTokens, formatUsd(row.costMicros),
        usdOrNull(row.baselineCostMicros) ?? '', usdOrNull(row.savingsMicros) ?? '',
      ]
        .map(csvField)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * GET /admin/usage: spend by key, tenant, served model, provider, UTC day or request, from the ledger, in JSON
 * or CSV (`format=csv`). Costs are exact decimal strings; the micro-USD integer is beside them.
 * With `savings.baseline` set, each group also has what it would have cost there and the saving
 * (baseline minus the cost of the same requests); both null when no request of the group has one.
 */
export const getUsage: AdminHandler = async (ctx, input): Promise<AdminResult> => {
  const query = parseAdminInput(usageQuery, input.query ?? {}, 'query');
  const to = query.to ? Date.parse(query.to) + DAY_MS : Math.floor(ctx.now / DAY_MS) * DAY_MS + DAY_MS;
  const from = query.from ? Date.parse(query.from) : to - 30 * DAY_MS;
  const rows = await ctx.stores.ledger.spend({
    from,
    to,
    groupBy: query.groupBy,
    ...(query.tenant ? { tenantId: query.tenant } : {}),
    ...(query.key ? { keyId: query.key } : {}),
  });
  if (query.format === 'csv') return { status: 200, body: {}, csv: toCsv(rows) } satisfies AdminResult;
  return {
    status: 200,
    body: {
      groupBy: query.groupBy,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      data: rows.map((row) => ({
        group: row.group,
        requests: row.requests,
        inputTokens: row.inputTokens,
        cachedInputTokens: row.cachedInputTokens,
        cacheWriteTokens: row.cacheWriteTokens,
        outputTokens: row.outputTokens,
        reasoningTokens: row.reasoningTokens,
        costMicros: row.costMicros.toString(),
        costUsd: formatUsd(row.costMicros),
        baselineCostMicros: row.baselineCostMicros?.toString() ?? null,
        baselineCostUsd: usdOrNull(row.baselineCostMicros),
        savingsMicros: row.savingsMicros?.toString() ?? null,
        savingsUsd: usdOrNull(row.savingsMicros),
      })),
    },
  };
};
