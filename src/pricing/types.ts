/**
 * Prices in integer micro-USD per million tokens ($2.50/MTok → 2_500_000), so that a token count
 * times a price is an exact integer (in pico-USD) and no float ever touches money.
 */
export interface Price {
  /** Input tokens neither read from nor written to a prompt cache. */
  inputPerMTok: number;
  /** All output tokens. Reasoning tokens are output tokens and are billed at this rate, never apart. */
  outputPerMTok: number;
  /** Input tokens read from the prompt cache (cache hit). */
  cachedInputPerMTok: number;
  /** Input tokens written to the prompt cache. Anthropic: the 5-minute write (1.25× input), see catalog-anthropic.ts. */
  cacheWritePerMTok: number;
}

/** The provider types of the config (`providers.<name>.type`) that the built-in catalog knows. */
export type CatalogProviderType = 'openai' | 'anthropic' | 'openai-compatible';

export interface PriceSource {
  /** The page the figures come from. */
  url: string;
  /** When the page (or the search corpus snapshot of it) was read, YYYY-MM-DD. */
  read: string;
  /** `official`: the figures were read on the provider's own page; `secondary`: through a copy of it. */
  evidence: 'official' | 'secondary';
  /** Where the figures were actually read when that is not `url`, and anything uncertain. */
  note?: string;
}

export interface CatalogEntry {
  providerType: CatalogProviderType;
  /** An exact upstream model id, or a prefix pattern ending in `*` (`claude-sonnet-4-5*`). */
  model: string;
  /** UTC; `YYYY-MM-DD` (midnight) or `YYYY-MM-DDTHH:MM:SSZ`. The entry applies from then until a later one. */
  effectiveFrom: string;
  price: Price;
  source: PriceSource;
}
