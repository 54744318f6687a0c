import type { Price } from './types.ts';

export interface GpuCost {
  /** Micro-USD per hour for the whole deployment (all its GPUs, amortised purchase or rental). */
  gpuHourMicros: number;
  /** Millionths of a token per second: the sustained output throughput at the usual load. */
  tokensPerSecondMillionths: number;
  /** Millionths; how many input tokens cost as much as one output token. */
  outputWeightMillionths: number;
}

export const DEFAULT_OUTPUT_WEIGHT = 4;

/** Exact division rounded half up; all operands are positive. */
const divideHalfUp = (n: bigint, d: bigint): bigint => (2n * n + d) / (2n * d);

/**
 * A per-token price from what the hardware costs: one output token costs the GPU-hour divided by the
 * output tokens made in that hour,
 *
 *   output $/MTok = gpuHourUsd × 1e6 / (tokensPerSecond × 3600)
 *   input  $/MTok = output $/MTok / outputWeight
 *
 * Assumption: prefill is far cheaper per token than decoding, so an input token weighs 1/outputWeight
 * of an output token (default 4, the output:input ratio of most list prices); measure tokensPerSecond
 * in output tokens, counting input tokens at that weight when the load mixes both. Cached and
 * cache-write tokens are priced as input. Each rate is rounded half up to a whole µUSD per MTok.
 */
export function priceFromGpuCost(cost: GpuCost): Price {
  const numerator = BigInt(cost.gpuHourMicros) * 1_000_000n * 1_000_000n;
  const perHour = BigInt(cost.tokensPerSecondMillionths) * 3600n;
  const output = divideHalfUp(numerator, perHour);
  const input = divideHalfUp(numerator * 1_000_000n, perHour * BigInt(cost.outputWeightMillionths));
  return { inputPerMTok: Number(input), outputPerMTok: Number(output), cachedInputPerMTok: Number(input), cacheWritePerMTok: Number(input) };
}
