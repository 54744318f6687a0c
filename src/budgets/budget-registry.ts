import type { Budget, BudgetStore } from '../storage/index.ts';

const NO_BUDGETS: readonly Budget[] = [];

export interface BudgetRegistryOptions {
  /** How often `start()` reloads every budget; the bound on how long a new limit takes. Default 2000. */
  refreshIntervalMs?: number;
  onRefreshError?: (error: unknown) => void;
}

/**
 * Every budget definition, in memory, reloaded from the store every few seconds (budgets are few;
 * their counters stay in the database). A request whose key and tenant have no budget costs nothing.
 */
export class BudgetRegistry {
  readonly #store: BudgetStore;
  readonly #refreshIntervalMs: number;
  readonly #onRefreshError: (error: unknown) => void;
  #byScope = new Map<string, Budget[]>();
  #timer: NodeJS.Timeout | undefined;
  #refreshing: Promise<void> | undefined;

  constructor(store: BudgetStore, options: BudgetRegistryOptions = {}) {
    this.#store = store;
    this.#refreshIntervalMs = options.refreshIntervalMs ?? 2000;
    this.#onRefreshError = options.onRefreshError ?? (() => {});
  }

  /** The budgets of this key and of its tenant. */
  forCaller(keyId: string, tenantId: string): readonly Budget[] {
    // Most gateways have no budget at all: no scope strings to build for each request.
    if (this.#byScope.size === 0) return NO_BUDGETS;
    const forKey = this.#byScope.get(`key:${keyId}`);
    const forTenant = this.#byScope.get(`tenant:${tenantId}`);
    if (forKey === undefined) return forTenant ?? [];
    return forTenant === undefined ? forKey : [...forKey, ...forTenant];
  }

  get size(): number {
    let n = 0;
    for (const budgets of this.#byScope.values()) n += budgets.length;
    return n;
  }

  /** Reloads now; concurrent calls share one query. */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#store
      .list()
      .then((budgets) => {
        const byScope = new Map<string, Budget[]>();
        for (const budget of budgets) {
          const scope = `${budget.scope}:${budget.scopeId}`;
          const list = byScope.get(scope);
          if (list) list.push(budget);
          else byScope.set(scope, [budget]);
        }
        this.#byScope = byScope;
      })
      .finally(() => (this.#refreshing = undefined));
    return this.#refreshing;
  }

  start(): void {
    this.#timer ??= setInterval(() => this.refresh().catch(this.#onRefreshError), this.#refreshIntervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
