import type { CatalogEntry, Price, PriceSource } from './types.ts';

/**
 * Anthropic list prices, in micro-USD per million tokens. `cacheWritePerMTok` is the 5-minute write
 * (1.25× input): Moat's usage has one cache-write count and Anthropic's default TTL is 5 minutes, so
 * a 1-hour write (2× input) is under-billed by 0.75× input until the usage carries the TTL split
 * (`usage.cache_creation.ephemeral_1h_input_tokens`). Cache reads are 0.1× input.
 * Not modelled: the long-context premium (> 200K input with the 1M-context beta on Sonnet 4/4.5:
 * $6/$22.50), Batch, `inference_geo` and fast mode.
 * Effective dates are the snapshot date in the model id, else the release date on the model's page.
 * https://platform.claude.com/docs/en/about-claude/pricing
 */
const READ = '2026-11-24';
const PRICING_2026: PriceSource = { url: 'https://platform.claude.com/docs/en/about-claude/pricing', read: READ, evidence: 'official' };
const PRICING_2025: PriceSource = {
  url: 'https://docs.anthropic.com/en/docs/about-claude/pricing', read: READ, evidence: 'official',
  note: 'corpus copy of the page from when Opus 4.1 was the newest model (2025)',
};
const overview = (slug: string, crossCheck = ''): PriceSource => ({
  url: `https://platform.claude.com/docs/en/models/${slug}/overview`, read: READ, evidence: 'official',
  note: `input and output from the model page; cache rates from the standard multipliers on the pricing page (5m write 1.25×, read 0.1×)${crossCheck}`,
});

/** From the base input price in micro-USD: 5-minute write 1.25×, read 0.1×. All catalogued prices divide exactly. */
const price = (input: number, output: number): Price =>
  ({ inputPerMTok: input, outputPerMTok: output, cacheWritePerMTok: (input * 5) / 4, cachedInputPerMTok: input / 10 });

const row = (model: string, effectiveFrom: string, p: Price, source: PriceSource): CatalogEntry =>
  ({ providerType: 'anthropic', model, effectiveFrom, price: p, source });

const OPUS_45 = price(5_000_000, 25_000_000);
const OPUS_4 = price(15_000_000, 75_000_000);
const SONNET = price(3_000_000, 15_000_000);

export const ANTHROPIC_CATALOG: CatalogEntry[] = [
  row('claude-opus-4-7*', '2026-04-16', OPUS_45, { ...PRICING_2026, note: 'release date 2026-04-16 from a secondary source (hashnode)' }),
  row('claude-opus-4-6*', '2026-02-05', OPUS_45, PRICING_2026),
  row('claude-opus-4-5*', '2025-11-01', OPUS_45, PRICING_2026),
  row('claude-opus-4-1*', '2025-08-05', OPUS_4, PRICING_2026),
  row('claude-opus-4-20250514', '2025-05-14', OPUS_4, PRICING_2025),
  row('claude-opus-4-0', '2025-05-14', OPUS_4, PRICING_2025),
  row('claude-sonnet-4-6*', '2026-02-17', SONNET, overview('sonnet-4-6', '; artka.dev lists the same $3.75 / $0.30')),
  row('claude-sonnet-4-5*', '2025-09-29', SONNET, overview('sonnet-4-5')),
  row('claude-sonnet-4-20250514', '2025-05-14', SONNET, PRICING_2025),
  row('claude-sonnet-4-0', '2025-05-14', SONNET, PRICING_2025),
  row('claude-haiku-4-5*', '2025-10-01', price(1_000_000, 5_000_000), overview('haiku-4-5', '; artka.dev lists the same $1.25 / $0.10')),
  row('claude-3-7-sonnet*', '2025-02-19', SONNET, PRICING_2025),
  row('claude-3-5-sonnet*', '2024-06-20', SONNET, PRICING_2025),
  row('claude-3-5-haiku*', '2025-01-01', price(800_000, 4_000_000), {
    ...PRICING_2025,
    note: 'launched 2024-11-04 at $1/$5 and cut to $0.80/$4 about a month later (aiwiki.ai); the cut date is not sourced, so the entry starts on 2025-01-01 and earlier dates stay unpriced',
  }),
  row('claude-3-opus*', '2024-02-29', OPUS_4, PRICING_2025),
  row('claude-3-haiku*', '2024-03-07', { inputPerMTok: 250_000, outputPerMTok: 1_250_000, cacheWritePerMTok: 300_000, cachedInputPerMTok: 30_000 }, PRICING_2025),
];
