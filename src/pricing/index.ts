export { BUILTIN_CATALOG, CATALOG_CHECKED_AT } from './catalog.ts';
export { computeCost, picosToMicros } from './cost.ts';
export type { Cost, CostBreakdown } from './cost.ts';
export { priceFromGpuCost } from './gpu-price.ts';
export { pricingConfigSchema } from './pricing-config.ts';
export type { PriceOverride, PricingConfig, PricingConfigInput } from './pricing-config.ts';
export { createPriceBook, PriceBook } from './resolve-price.ts';
export type { ResolvedPrice } from './resolve-price.ts';
export type { CatalogEntry, CatalogProviderType, Price, PriceSource } from './types.ts';
