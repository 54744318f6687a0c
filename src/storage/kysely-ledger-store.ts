import { CompiledQuery, sql } from 'kysely';
import type { Insertable, Kysely, Selectable } from 'kysely';
import { toBigInt, toNumber, toNumberOrNull } from './column-values.ts';
import type { DbInteger } from './column-values.ts';
import { compareText } from './compare-text.ts';
import type { LedgerRow, LedgerStore, SpendQuery, SpendRow, UsageSource } from './ledger-store.ts';
import type { MoatDatabase, UsageLedgerTable } from './schema/database.ts';

const DAY_MS = 86_400_000;

/**
 * A batch is written in statements of at most this many rows, each its own commit (the gateway's
 * batches fit in one). Kysely builds the statement for each row count once, so the drivers'
 * prepared-statement caches hold at most this many; 22 columns × 100 rows stays far under SQLite's
 * 32,766 and PostgreSQL's 65,535 bound parameters. Not one transaction per batch: held across the
 * awaits of Kysely's driver, it blocks other connections of the same process to the same SQLite file,
 * whose busy wait is synchronous.
 */
const STATEMENT_ROWS = 100;

/** The order of a row's parameters in the insert statement: the key order of `toRow`'s object. */
const COLUMNS = Object.keys(toRow(sampleRow())) as (keyof UsageLedgerTable)[];

const TOKEN_FIELDS = ['inputTokens', 'cachedInputTokens', 'cacheWriteTokens', 'outputTokens', 'reasoningTokens', 'latencyMs', 'status', 'createdAt'] as const;

const GROUP_COLUMNS = { key: 'key_id', tenant: 'tenant_id', model: 'served_model', provider: 'provider', request: 'request_id' } as const;

export class KyselyLedgerStore implements LedgerStore {
  readonly #db: Kysely<MoatDatabase>;
  /** Insert SQL by row count, built by Kysely on first use (building it costs more than running it). */
  readonly #insertSql = new Map<number, string>();

  constructor(db: Kysely<MoatDatabase>) {
    this.#db = db;
  }

  async insertBatch(rows: readonly LedgerRow[]): Promise<number> {
    // One row per request id, in id order: concurrent batches that overlap then take PostgreSQL's
    // row locks in the same order and wait for each other instead of deadlocking.
    const byId = new Map<string, LedgerRow>();
    for (const row of rows) if (!byId.has(row.requestId)) byId.set(row.requestId, checked(row));
    const unique = [...byId.keys()].sort().map((id) => toRow(byId.get(id)!));
    let inserted = 0n;
    for (let i = 0; i < unique.length; i += STATEMENT_ROWS) inserted += await this.#insert(unique.slice(i, i + STATEMENT_ROWS));
    return Number(inserted);
  }

  async #insert(rows: Insertable<UsageLedgerTable>[]): Promise<bigint> {
    const parameters = rows.flatMap((row) => COLUMNS.map((column) => row[column]));
    let text = this.#insertSql.get(rows.length);
    if (text === undefined) {
      const compiled = this.#db.insertInto('usage_ledger').values(rows).onConflict((oc) => oc.column('request_id').doNothing()).compile();
      if (compiled.parameters.length !== parameters.length || compiled.parameters.some((p, j) => p !== parameters[j])) {
        throw new Error('ledger insert: parameters out of column order');
      }
      text = compiled.sql;
      this.#insertSql.set(rows.length, text);
    }
    const result = await this.#db.executeQuery(CompiledQuery.raw(text, parameters));
    return result.numAffectedRows ?? 0n;
  }

  async get(requestId: string): Promise<LedgerRow | undefined> {
    const row = await this.#db.selectFrom('usage_ledger').selectAll().where('request_id', '=', requestId).executeTakeFirst();
    return row && toLedgerRow(row);
  }

  async spend(query: SpendQuery): Promise<SpendRow[]> {
    // Integer division by a literal: the same SQL and the same UTC day on both backends. A literal
    // (not a bound parameter) so PostgreSQL sees the SELECT and GROUP BY expressions as equal.
    const group = query.groupBy === 'day' ? sql<DbInteger>`${sql.ref('created_at')} / ${sql.lit(DAY_MS)}` : sql.ref<DbInteger>(GROUP_COLUMNS[query.groupBy]);
    let select = this.#db
      .selectFrom('usage_ledger')
      .select((eb) => [
        group.as('grp'),
        eb.fn.countAll().as('requests'),
        eb.fn.sum('input_tokens').as('input_tokens'),
        eb.fn.sum('cached_input_tokens').as('cached_input_tokens'),
        eb.fn.sum('cache_write_tokens').as('cache_write_tokens'),
        eb.fn.sum('output_tokens').as('output_tokens'),
        eb.fn.sum('reasoning_tokens').as('reasoning_tokens'),
        eb.fn.sum('cost_micros').as('cost_micros'),
        eb.fn.sum('baseline_cost_micros').as('baseline_cost_micros'),
        // The cost of the rows that have a baseline: savings compare like with like.
        eb.fn.sum(eb.case().when('baseline_cost_micros', 'is not', null).then(eb.ref('cost_micros')).else(sql.lit(0)).end()).as('covered_cost_micros'),
      ])
      .where('created_at', '>=', query.from)
      .where('created_at', '<', query.to);
    if (query.tenantId !== undefined) select = select.where('tenant_id', '=', query.tenantId);
    if (query.keyId !== undefined) select = select.where('key_id', '=', query.keyId);
    const rows = await select.groupBy(group).execute();
    const spend = rows.map((r) => ({
      group: query.groupBy === 'day' ? new Date(toNumber(r.grp) * DAY_MS).toISOString().slice(0, 10) : String(r.grp),
      requests: toNumber(r.requests),
      inputTokens: toNumber(r.input_tokens),
      cachedInputTokens: toNumber(r.cached_input_tokens),
      cacheWriteTokens: toNumber(r.cache_write_tokens),
      outputTokens: toNumber(r.output_tokens),
      reasoningTokens: toNumber(r.reasoning_tokens),
      costMicros: toBigInt(r.cost_micros),
      baselineCostMicros: r.baseline_cost_micros === null ? null : toBigInt(r.baseline_cost_micros),
      savingsMicros: r.baseline_cost_micros === null ? null : toBigInt(r.baseline_cost_micros) - toBigInt(r.covered_cost_micros),
    }));
    return spend.sort((a, b) => compareText(a.group, b.group));
  }
}

/** SQLite would store 1.5 in an INTEGER column as a REAL where PostgreSQL refuses it: refuse on both. */
function checked(row: LedgerRow): LedgerRow {
  for (const field of TOKEN_FIELDS) {
    if (!Number.isSafeInteger(row[field])) throw new TypeError(`ledger row ${row.requestId}: ${field} must be an integer, got ${row[field]}`);
  }
  if (typeof row.costMicros !== 'bigint') throw new TypeError(`ledger row ${row.requestId}: costMicros must be a bigint`);
  if (row.baselineCostMicros !== null && typeof row.baselineCostMicros !== 'bigint') throw new TypeError(`ledger row ${row.requestId}: baselineCostMicros must be a bigint or null`);
  return row;
}

function sampleRow(): LedgerRow {
  return {
    requestId: '', keyId: '', tenantId: '', requestedModel: '', servedModel: '', provider: '', inputTokens: 0, cachedInputTokens: 0,
    cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0, costMicros: 0n, usageSource: 'estimate', latencyMs: 0, ttftMs: null,
    status: 0, errorCode: null, routeReason: null, attempts: 1, flags: null, baselineCostMicros: null, createdAt: 0,
  };
}

function toRow(row: LedgerRow): Insertable<UsageLedgerTable> {
  return {
    request_id: row.requestId,
    key_id: row.keyId,
    tenant_id: row.tenantId,
    requested_model: row.requestedModel,
    served_model: row.servedModel,
    provider: row.provider,
    input_tokens: row.inputTokens,
    cached_input_tokens: row.cachedInputTokens,
    cache_write_tokens: row.cacheWriteTokens,
    output_tokens: row.outputTokens,
    reasoning_tokens: row.reasoningTokens,
    cost_micros: row.costMicros,
    usage_source: row.usageSource,
    latency_ms: row.latencyMs,
    ttft_ms: row.ttftMs,
    status: row.status,
    error_code: row.errorCode,
    route_reason: row.routeReason,
    attempts: row.attempts,
    flags: row.flags,
    baseline_cost_micros: row.baselineCostMicros,
    created_at: row.createdAt,
  };
}

function toLedgerRow(row: Selectable<UsageLedgerTable>): LedgerRow {
  return {
    requestId: row.request_id,
    keyId: row.key_id,
    tenantId: row.tenant_id,
    requestedModel: row.requested_model,
    servedModel: row.served_model,
    provider: row.provider,
    inputTokens: toNumber(row.input_tokens),
    cachedInputTokens: toNumber(row.cached_input_tokens),
    cacheWriteTokens: toNumber(row.cache_write_tokens),
    outputTokens: toNumber(row.output_tokens),
    reasoningTokens: toNumber(row.reasoning_tokens),
    costMicros: toBigInt(row.cost_micros),
    usageSource: row.usage_source as UsageSource,
    latencyMs: toNumber(row.latency_ms),
    ttftMs: toNumberOrNull(row.ttft_ms),
    status: toNumber(row.status),
    errorCode: row.error_code,
    routeReason: row.route_reason,
    attempts: toNumber(row.attempts),
    flags: row.flags,
    baselineCostMicros: row.baseline_cost_micros === null ? null : toBigInt(row.baseline_cost_micros),
    createdAt: toNumber(row.created_at),
  };
}
