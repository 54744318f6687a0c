import { z } from 'zod';

/**
 * Savings (docs/router.md): each request's usage is also priced at a premium baseline model, so the
 * ledger, the usage API, the CLI and the metrics show what the traffic would have cost there.
 */
export const savingsSchema = z.strictObject({
  baseline: z
    .strictObject({
      provider: z.string().min(1).describe('A provider type of the price catalog (`openai`, `anthropic`) or a provider name with `pricing` overrides.'),
      model: z.string().min(1).describe('The baseline model id as the price catalog or `pricing` knows it, e.g. `gpt-4o`.'),
    })
    .optional()
    .describe('The premium model to compare against; unset: no baseline cost is recorded.'),
});

export type SavingsConfig = z.infer<typeof savingsSchema>;
