import { BudgetGuard, BudgetRegistry } from '../budgets/index.ts';
import { preloadTokenCounter } from '../tokens/index.ts';
import type { MoatConfig } from '../config/index.ts';
import { KeyRegistry } from '../keys/key-registry.ts';
import { LedgerJournal, LedgerWriter } from '../metering/index.ts';
import { createMeter, type Call, type KeyLookup } from '../pipeline/index.ts';
import { openStorage, type Storage } from '../storage/index.ts';
import type { Logger } from '../telemetry/index.ts';

/** What a served gateway has beyond its config: the database, stored keys and the ledger. */
export interface GatewayServices {
  storage: Storage;
  keys: KeyLookup;
  meter: (call: Call) => void;
  ledger: LedgerWriter;
  budgets: BudgetGuard;
  /** After an admin change on this replica: apply it now rather than on the next refresh. */
  afterAdminWrite(): void;
  close(): Promise<void>;
}

/** How often an empty key table is checked for its first key (then auth is required from then on). */
const EMPTY_POLL_MS = 2000;

/**
 * Opens the database (embedded SQLite, or PostgreSQL for a `postgres://` URL), migrates it, replays the
 * ledger journal, and starts the key registry's refresh. Null when `storage.enabled` is false.
 */
export async function openServices(config: MoatConfig, logger: Logger): Promise<GatewayServices | null> {
  if (!config.storage.enabled) return null;
  const url = config.storage.url ? config.storage.url : undefined;
  const storage = await openStorage(url ? { url } : { path: config.storage.path });
  await storage.migrate();
  const registry = new KeyRegistry(storage.keys, { onRefreshError: (error) => logger.warn({ err: error }, 'key refresh failed') });
  registry.start();
  // Small, frequent batches: an embedded-database write runs on the event loop, and a 100-row insert
  // holds it for a few milliseconds where a 500-row one held it for over ten.
  const ledger = new LedgerWriter(storage.ledger, new LedgerJournal({ dir: config.storage.journalDir }), {
    flushMs: 50,
    batchRows: 100,
    onError: (error) => logger.error({ err: error }, 'ledger write failed; rows stay journaled and are retried'),
  });
  await ledger.start();

  const budgetRegistry = new BudgetRegistry(storage.budgets, { onRefreshError: (error) => logger.warn({ err: error }, 'budget refresh failed') });
  await budgetRegistry.refresh();
  budgetRegistry.start();
  // A hard budget counts each request's prompt: load the tokenizer now rather than on the first request.
  if (budgetRegistry.size > 0) preloadTokenCounter();
  const budgets = new BudgetGuard(storage.budgets, budgetRegistry, storage.ledger, {
    reservationTtlMs: config.budgets.reservationTtlMs,
    onAlert: ({ budget, spentMicros, periodStart, requestId }) =>
      logger.warn(
        { budgetId: budget.id, scope: budget.scope, scopeId: budget.scopeId, mode: budget.mode, period: budget.period, periodStart: new Date(periodStart).toISOString(), spentMicros: String(spentMicros), limitMicros: String(budget.limitMicros), requestId },
        budget.mode === 'soft' ? 'soft budget reached' : 'hard budget reached',
      ),
    onError: (error) => logger.error({ err: error }, 'budget settlement failed'),
  });
  budgets.start();

  let empty = (await storage.keys.listChangedSince(0)).length === 0;
  const checkEmpty = (): void => {
    if (!empty) return;
    storage.keys.listChangedSince(0).then(
      (keys) => (empty = keys.length === 0),
      (error: unknown) => logger.warn({ err: error }, 'key check failed'),
    );
  };
  const poll = setInterval(() => (empty ? checkEmpty() : clearInterval(poll)), EMPTY_POLL_MS);
  poll.unref();

  const keys: KeyLookup = {
    lookup: (hash, now) => registry.lookup(hash, now),
    get empty() {
      return empty;
    },
  };
  return {
    storage,
    keys,
    // Each ledger row also settles the request's budgets (reservation released, actual cost charged).
    meter: createMeter({
      record(row) {
        ledger.record(row);
        budgets.settleRow(row);
      },
    }),
    ledger,
    budgets,
    afterAdminWrite() {
      checkEmpty();
      registry.refresh().catch((error: unknown) => logger.warn({ err: error }, 'key refresh failed'));
      budgetRegistry.refresh().catch((error: unknown) => logger.warn({ err: error }, 'budget refresh failed'));
    },
    async close() {
      clearInterval(poll);
      registry.stop();
      budgetRegistry.stop();
      await budgets.stop();
      await ledger.stop();
      await storage.close();
    },
  };
}
