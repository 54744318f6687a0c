import type { CatalogEntry, Price, PriceSource } from './types.ts';

/**
 * OpenAI list prices ("Standard" tier; Batch, Flex and Priority are not modelled), in micro-USD per
 * million tokens. OpenAI bills no cache writes, so a write is priced as plain input (OpenAI never
 * reports any). Reasoning tokens are part of `completion_tokens` and billed as output.
 * Effective dates are the snapshot date in the model id; an alias gets the date of the snapshot it names.
 */
const PAGE = 'https://platform.openai.com/docs/pricing';
const READ = '2026-11-24';

const MIRROR_2025_06: PriceSource = {
  url: PAGE, read: READ, evidence: 'secondary',
  note: 'table copied from the pricing page on 2025-06-03 in hex.pm openai_responses 0.4.1 lib/responses/pricing.ex',
};
const LLM_PRICES: PriceSource = {
  url: PAGE, read: READ, evidence: 'secondary',
  note: 'github.com/simonw/llm-prices data/openai.json; o1 also in docs.rs openai-models 0.1.1 (from openai.com/api/pricing)',
};
const O3_CUT: PriceSource = {
  url: PAGE, read: READ, evidence: 'secondary',
  note: 'o3 cut 80% on 2025-06-10: langfuse/langfuse PR #7223 and simonw/llm-prices PR #66 (old 10/2.50/40 → 2/0.50/8)',
};
const GPT5_NANO: PriceSource = { url: 'https://developers.openai.com/api/docs/models/gpt-5-nano', read: READ, evidence: 'official' };
const EMBEDDINGS: PriceSource = {
  url: PAGE, read: READ, evidence: 'secondary',
  note: 'tokenmath.io (checked 2026-06-21) and chatgptpricing-akr.pages.dev, both citing the pricing page; effective date is the launch date, not sourced',
};

const price = (input: number, cachedInput: number, output: number): Price =>
  ({ inputPerMTok: input, cachedInputPerMTok: cachedInput, outputPerMTok: output, cacheWritePerMTok: input });

const rows = (models: string[], effectiveFrom: string, p: Price, source: PriceSource): CatalogEntry[] =>
  models.map((model): CatalogEntry => ({ providerType: 'openai', model, effectiveFrom, price: p, source }));

export const OPENAI_CATALOG: CatalogEntry[] = [
  ...rows(['gpt-4o-2024-05-13'], '2024-05-13', price(5_000_000, 5_000_000, 15_000_000), { ...MIRROR_2025_06, note: `${MIRROR_2025_06.note}; no cached rate listed, so cached input is priced as input` }),
  ...rows(['gpt-4o', 'gpt-4o-2024-08-06'], '2024-08-06', price(2_500_000, 1_250_000, 10_000_000), MIRROR_2025_06),
  ...rows(['gpt-4o-2024-11-20'], '2024-11-20', price(2_500_000, 1_250_000, 10_000_000), MIRROR_2025_06),
  ...rows(['gpt-4o-mini', 'gpt-4o-mini-2024-07-18'], '2024-07-18', price(150_000, 75_000, 600_000), LLM_PRICES),
  ...rows(['gpt-4.1', 'gpt-4.1-2025-04-14'], '2025-04-14', price(2_000_000, 500_000, 8_000_000), MIRROR_2025_06),
  ...rows(['gpt-4.1-mini', 'gpt-4.1-mini-2025-04-14'], '2025-04-14', price(400_000, 100_000, 1_600_000), MIRROR_2025_06),
  ...rows(['gpt-4.1-nano', 'gpt-4.1-nano-2025-04-14'], '2025-04-14', price(100_000, 25_000, 400_000), MIRROR_2025_06),
  ...rows(['o1', 'o1-2024-12-17'], '2024-12-17', price(15_000_000, 7_500_000, 60_000_000), LLM_PRICES),
  ...rows(['o3-mini', 'o3-mini-2025-01-31'], '2025-01-31', price(1_100_000, 550_000, 4_400_000), LLM_PRICES),
  ...rows(['o3', 'o3-2025-04-16'], '2025-04-16', price(10_000_000, 2_500_000, 40_000_000), O3_CUT),
  ...rows(['o3', 'o3-2025-04-16'], '2025-06-10', price(2_000_000, 500_000, 8_000_000), O3_CUT),
  ...rows(['o4-mini', 'o4-mini-2025-04-16'], '2025-04-16', price(1_100_000, 275_000, 4_400_000), LLM_PRICES),
  ...rows(['gpt-5', 'gpt-5-2025-08-07'], '2025-08-07', price(1_250_000, 125_000, 10_000_000), LLM_PRICES),
  ...rows(['gpt-5-mini', 'gpt-5-mini-2025-08-07'], '2025-08-07', price(250_000, 25_000, 2_000_000), LLM_PRICES),
  ...rows(['gpt-5-nano', 'gpt-5-nano-2025-08-07'], '2025-08-07', price(50_000, 5_000, 400_000), GPT5_NANO),
  ...rows(['text-embedding-3-small'], '2024-01-25', price(20_000, 20_000, 0), EMBEDDINGS),
  ...rows(['text-embedding-3-large'], '2024-01-25', price(130_000, 130_000, 0), EMBEDDINGS),
];
