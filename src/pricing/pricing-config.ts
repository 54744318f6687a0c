import { z } from 'zod';
import { DEFAULT_OUTPUT_WEIGHT, priceFromGpuCost } from './gpu-price.ts';
import { parseMillionths } from './parse-usd.ts';
import type { Price } from './types.ts';

/** A decimal ("2.50" or 2.5) → integer millionths, exactly; more than 6 decimals or a sign is an error. */
const millionths = (what: string, positive = false) =>
  z.union([z.string(), z.number()]).transform((value, ctx) => {
    const parsed = parseMillionths(value);
    if (parsed.ok && (!positive || parsed.value > 0)) return parsed.value;
    ctx.addIssue({ code: 'custom', message: parsed.ok ? `${what} must be greater than 0` : `${what} ${parsed.message}` });
    return z.NEVER;
  });
const usdPerMTok = millionths('USD per million tokens');
const positive = (what: string) => millionths(what, true);

const gpuSchema = z.strictObject({
  gpuHourUsd: millionths('gpuHourUsd').describe('What the deployment costs per hour, amortised, in USD.'),
  tokensPerSecond: positive('tokensPerSecond').describe('Sustained output tokens per second at the usual load.'),
  outputWeight: positive('outputWeight').default(DEFAULT_OUTPUT_WEIGHT * 1_000_000).describe('An output token costs this many input tokens.'),
});

const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z)?$/;

const modelPriceSchema = z
  .strictObject({
    provider: z.string().min(1).describe('A provider name from `providers:`.'),
    model: z
      .string()
      .min(1)
      .refine((m) => !m.slice(0, -1).includes('*'), 'may hold one `*`, only at the end (a prefix pattern)')
      .describe('Upstream model id, or a prefix ending in `*`.'),
    effectiveFrom: z
      .string()
      .refine((d) => DATE.test(d) && !Number.isNaN(Date.parse(d)), 'must be a UTC date such as 2026-01-31 or 2026-01-31T12:00:00Z')
      .optional()
      .describe('From when the price applies (UTC); always, when absent.'),
    input: usdPerMTok.optional(),
    output: usdPerMTok.optional(),
    cachedInput: usdPerMTok.optional().describe('Defaults to `input`.'),
    cacheWrite: usdPerMTok.optional().describe('Defaults to `input`.'),
    gpu: gpuSchema.optional().describe('Price a self-hosted model from its hardware cost instead.'),
  })
  .transform((entry, ctx) => {
    const perToken = [entry.input, entry.output, entry.cachedInput, entry.cacheWrite].some((v) => v !== undefined);
    let price: Price;
    if (entry.gpu && perToken) {
      ctx.addIssue({ code: 'custom', message: 'give either per-token prices (`input`, `output`, …) or `gpu`, not both' });
      return z.NEVER;
    } else if (entry.gpu) {
      price = priceFromGpuCost({
        gpuHourMicros: entry.gpu.gpuHourUsd,
        tokensPerSecondMillionths: entry.gpu.tokensPerSecond,
        outputWeightMillionths: entry.gpu.outputWeight,
      });
      if (!Object.values(price).every(Number.isSafeInteger)) {
        ctx.addIssue({ code: 'custom', path: ['gpu'], message: 'gives a per-token price too large to represent; check tokensPerSecond' });
        return z.NEVER;
      }
    } else if (entry.input === undefined || entry.output === undefined) {
      ctx.addIssue({ code: 'custom', message: 'needs `input` and `output` (USD per million tokens), or `gpu`' });
      return z.NEVER;
    } else {
      price = {
        inputPerMTok: entry.input,
        outputPerMTok: entry.output,
        cachedInputPerMTok: entry.cachedInput ?? entry.input,
        cacheWritePerMTok: entry.cacheWrite ?? entry.input,
      };
    }
    return { provider: entry.provider, model: entry.model, effectiveFrom: entry.effectiveFrom, price, basis: entry.gpu ? 'gpu' as const : 'per-token' as const };
  });

/** The `pricing:` config section: prices that replace or add to the built-in catalog. */
export const pricingConfigSchema = z.strictObject({
  models: z.array(modelPriceSchema).default([]),
});

export type PricingConfigInput = z.input<typeof pricingConfigSchema>;
export type PricingConfig = z.output<typeof pricingConfigSchema>;
export type PriceOverride = PricingConfig['models'][number];
