import type { CatalogEntry, Price, PriceSource } from './types.ts';

/**
 * DeepSeek's API (an `openai-compatible` provider), in micro-USD per million tokens. DeepSeek prices
 * input by cache hit (read) and cache miss (plain input) and bills no cache writes, so a write is
 * priced as a miss. Reasoning (`reasoning_content`) is output, at the output rate.
 * Not modelled: the 2025-02-26 … 2025-09-05 night discount (16:30–00:30 UTC, 50–75% off) — Moat bills
 * the day rate then — and V4's peak/off-peak rates. The `deepseek-chat`/`deepseek-reasoner` aliases
 * stopped working after 2026-07-24 15:59 UTC; V4 model ids are not catalogued (price them in config).
 * Caution: these ids are matched on any `openai-compatible` provider; a self-hosted model served
 * under the same id needs a config override.
 */
const PAGE = 'https://api-docs.deepseek.com/quick_start/pricing';
const READ = '2026-11-24';

const price = (hit: number, miss: number, output: number): Price =>
  ({ inputPerMTok: miss, cachedInputPerMTok: hit, cacheWritePerMTok: miss, outputPerMTok: output });

const both = (effectiveFrom: string, chat: Price, reasoner: Price, source: PriceSource): CatalogEntry[] => [
  { providerType: 'openai-compatible', model: 'deepseek-chat', effectiveFrom, price: chat, source },
  { providerType: 'openai-compatible', model: 'deepseek-reasoner', effectiveFrom, price: reasoner, source },
];

const V3_1 = price(70_000, 560_000, 1_680_000);
const V3_2 = price(28_000, 280_000, 420_000);
const V4_FLASH = price(2_800, 140_000, 280_000);

export const DEEPSEEK_CATALOG: CatalogEntry[] = [
  // V3 after its launch discount ended (2025-02-08 16:00 UTC, stated on the page); R1 had no discount.
  ...both('2025-02-08T16:00:00Z', price(70_000, 270_000, 1_100_000), price(140_000, 550_000, 2_190_000), {
    url: 'https://api-docs.deepseek.com/quick_start/pricing-details-usd', read: READ, evidence: 'official',
  }),
  ...both('2025-09-05T16:00:00Z', V3_1, V3_1, {
    url: PAGE, read: READ, evidence: 'official',
    note: 'figures from the V3.1 page; the start (2025-09-05) is from a secondary source (skywork.ai citing the 2025-08-21 notice), the hour is not sourced',
  }),
  ...both('2025-09-29', V3_2, V3_2, {
    url: PAGE, read: READ, evidence: 'secondary',
    note: 'V3.2-Exp "50%+ cut, effective immediately" on 2025-09-29 (skywork.ai citing DeepSeek API news); figures from benchlm.ai quoting the page (2026-04-13); the hour is not sourced',
  }),
  // The aliases moved to V4-Flash in late April 2026; the exact day is not sourced, so the V3.2 price
  // stays until the cache-hit cut that the page dates to the minute.
  ...both('2026-04-26T12:15:00Z', V4_FLASH, V4_FLASH, {
    url: PAGE, read: READ, evidence: 'secondary',
    note: 'page text as quoted on salahadawi.com (HN copy): aliases = V4-Flash, cache hit cut to 1/10 from 2026/4/26 12:15 UTC',
  }),
];
