import { BUILTIN_CATALOG } from './catalog.ts';
import type { PriceOverride, PricingConfig } from './pricing-config.ts';
import type { CatalogEntry, Price, PriceSource } from './types.ts';

export interface ResolvedPrice {
  price: Price;
  /** `config`: a `pricing:` override; `catalog`: the built-in list price. */
  origin: 'catalog' | 'config';
  /** The id or `*` pattern that matched. */
  model: string;
  /** UTC; undefined for an override without a start. */
  effectiveFrom: string | undefined;
  source: PriceSource | undefined;
}

interface Dated {
  fromMs: number;
  resolved: ResolvedPrice;
}

/** One provider's prices: per exact id, and per prefix pattern longest first; each list newest first. */
class ModelIndex {
  private readonly exact = new Map<string, Dated[]>();
  private readonly patterns = new Map<string, Dated[]>();
  private prefixes: string[] = [];

  add(model: string, dated: Dated): void {
    const isPattern = model.endsWith('*');
    const map = isPattern ? this.patterns : this.exact;
    const key = isPattern ? model.slice(0, -1) : model;
    const list = map.get(key) ?? [];
    list.push(dated);
    list.sort((a, b) => b.fromMs - a.fromMs);
    map.set(key, list);
    if (isPattern) this.prefixes = [...this.patterns.keys()].sort((a, b) => b.length - a.length);
  }

  /** The exact id first, then the longest matching prefix; in each, the newest entry in force at `atMs`. */
  find(model: string, atMs: number): ResolvedPrice | null {
    const inForce = (list: Dated[] | undefined) => list?.find((d) => d.fromMs <= atMs)?.resolved ?? null;
    const exact = inForce(this.exact.get(model));
    if (exact) return exact;
    for (const prefix of this.prefixes) {
      if (!model.startsWith(prefix)) continue;
      const hit = inForce(this.patterns.get(prefix));
      if (hit) return hit;
    }
    return null;
  }
}

function indexFor(indexes: Map<string, ModelIndex>, key: string): ModelIndex {
  const found = indexes.get(key);
  if (found) return found;
  const index = new ModelIndex();
  indexes.set(key, index);
  return index;
}

/**
 * Prices by provider and upstream model at a point in time: config overrides (by provider name)
 * first, then the built-in catalog (by provider type). Built once per config version.
 */
export class PriceBook {
  private readonly byType = new Map<string, ModelIndex>();
  private readonly byName = new Map<string, ModelIndex>();

  constructor(catalog: readonly CatalogEntry[] = BUILTIN_CATALOG, overrides: readonly PriceOverride[] = []) {
    for (const e of catalog) {
      const resolved: ResolvedPrice = { price: e.price, origin: 'catalog', model: e.model, effectiveFrom: e.effectiveFrom, source: e.source };
      indexFor(this.byType, e.providerType).add(e.model, { fromMs: Date.parse(e.effectiveFrom), resolved });
    }
    for (const o of overrides) {
      const resolved: ResolvedPrice = { price: o.price, origin: 'config', model: o.model, effectiveFrom: o.effectiveFrom, source: undefined };
      const fromMs = o.effectiveFrom === undefined ? Number.NEGATIVE_INFINITY : Date.parse(o.effectiveFrom);
      indexFor(this.byName, o.provider).add(o.model, { fromMs, resolved });
    }
  }

  /**
   * The price in force at `at` for `upstreamModel` (prefer the dated snapshot the response names),
   * or null when neither config nor catalog knows it. An override for the provider, when in force,
   * wins over the catalog however specific the catalog entry is.
   */
  resolve(providerType: string, upstreamModel: string, at: Date, providerName?: string): ResolvedPrice | null {
    const atMs = at.getTime();
    if (providerName !== undefined) {
      const override = this.byName.get(providerName)?.find(upstreamModel, atMs);
      if (override) return override;
    }
    return this.byType.get(providerType)?.find(upstreamModel, atMs) ?? null;
  }
}

export const createPriceBook = (config?: PricingConfig, catalog: readonly CatalogEntry[] = BUILTIN_CATALOG): PriceBook =>
  new PriceBook(catalog, config?.models ?? []);
