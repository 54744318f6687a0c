import type { Usage } from '../canonical/index.ts';
import type { Price } from './types.ts';

/**
 * Each part is tokens × µUSD/MTok, which is exactly pico-USD (1e-12 USD): nothing is rounded until
 * the total is turned into micro-USD, once.
 */
export interface CostBreakdown {
  uncachedInputTokens: number;
  uncachedInputPicos: bigint;
  cachedInputPicos: bigint;
  cacheWritePicos: bigint;
  /** All output, reasoning included. */
  outputPicos: bigint;
  /** The reasoning share of `outputPicos`, for display; already counted there, never added again. */
  reasoningPicos: bigint;
  totalPicos: bigint;
  /** The upstream reported more cached + written tokens than input tokens; uncached input was taken as 0. */
  inputUndercount: boolean;
}

export interface Cost {
  /** Micro-USD, rounded half up from `breakdown.totalPicos`. */
  costMicros: bigint;
  breakdown: CostBreakdown;
}

const PICOS_PER_MICRO = 1_000_000n;

/**
 * Round half up: the error per request is at most half a micro-USD either way, so totals over many
 * requests do not drift upwards as they would with ceil (up to $1 per million requests). All values
 * are non-negative, so this is floor((n + ½) / d).
 */
export const picosToMicros = (picos: bigint): bigint => (picos + PICOS_PER_MICRO / 2n) / PICOS_PER_MICRO;

function tokens(name: keyof Usage, value: number): bigint {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`usage.${name} must be a non-negative integer, got ${value}`);
  return BigInt(value);
}

/**
 * The cost of one response. `usage.inputTokens` includes cached and cache-write tokens (see
 * canonical/types.ts), so they are taken out of the input before it is priced: a cached token is
 * billed once, at the cached rate (the double count behind LiteLLM #14849). Reasoning tokens are part
 * of `outputTokens` and so billed once, at the output rate.
 */
export function computeCost(usage: Usage, price: Price): Cost {
  const input = tokens('inputTokens', usage.inputTokens);
  const cached = tokens('cachedInputTokens', usage.cachedInputTokens);
  const written = tokens('cacheWriteTokens', usage.cacheWriteTokens);
  const output = tokens('outputTokens', usage.outputTokens);
  const reasoning = tokens('reasoningTokens', usage.reasoningTokens);
  const rest = input - cached - written;
  const uncached = rest > 0n ? rest : 0n;

  const uncachedInputPicos = uncached * BigInt(price.inputPerMTok);
  const cachedInputPicos = cached * BigInt(price.cachedInputPerMTok);
  const cacheWritePicos = written * BigInt(price.cacheWritePerMTok);
  const outputPicos = output * BigInt(price.outputPerMTok);
  const totalPicos = uncachedInputPicos + cachedInputPicos + cacheWritePicos + outputPicos;
  return {
    costMicros: picosToMicros(totalPicos),
    breakdown: {
      uncachedInputTokens: Number(uncached),
      uncachedInputPicos,
      cachedInputPicos,
      cacheWritePicos,
      outputPicos,
      reasoningPicos: (reasoning < output ? reasoning : output) * BigInt(price.outputPerMTok),
      totalPicos,
      inputUndercount: rest < 0n,
    },
  };
}
