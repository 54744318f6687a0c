import { ANTHROPIC_CATALOG } from './catalog-anthropic.ts';
import { DEEPSEEK_CATALOG } from './catalog-deepseek.ts';
import { OPENAI_CATALOG } from './catalog-openai.ts';
import type { CatalogEntry } from './types.ts';

/** The day every figure in the built-in catalog was last checked against its source. */
export const CATALOG_CHECKED_AT = '2026-11-24';

/** Built-in, dated list prices. Config overrides (`pricing:`) take precedence; see resolve-price.ts. */
export const BUILTIN_CATALOG: readonly CatalogEntry[] = [...OPENAI_CATALOG, ...ANTHROPIC_CATALOG, ...DEEPSEEK_CATALOG];
