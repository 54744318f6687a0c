import { z } from 'zod';

/**
 * The reasoning veil's config (docs/veil.md): who sees a reasoning model's chain of thought, and which
 * request options that could leak it are refused. Imported by src/config/schema.ts as `veil:`.
 */
const int = () => z.coerce.number<number>().int();

export const REASONING_POLICIES = ['visible', 'hidden', 'summary'] as const;
export type ReasoningPolicy = (typeof REASONING_POLICIES)[number];

const policy = z.enum(REASONING_POLICIES, { error: '`reasoning` must be one of: visible, hidden, summary' });

/** What a tenant or key override may change; unset fields fall back to the next level. */
const overrideSchema = z.strictObject({
  reasoning: policy.optional().describe('This tenant or key sees reasoning, gets none, or gets a summary.'),
  allowLogprobs: z.boolean().optional(),
  allowLogitBias: z.boolean().optional(),
  maxN: int().positive().optional(),
  allowPrefill: z.boolean().optional(),
});

export const leakChannelsSchema = z.strictObject({
  allowLogprobs: z.boolean().default(false).describe('Under `hidden`/`summary`, accept `logprobs`/`top_logprobs` instead of refusing them with 400.'),
  maxTopLogprobs: int().min(0).max(20).default(5).describe('With `allowLogprobs`, the largest `top_logprobs` accepted.'),
  allowLogitBias: z.boolean().default(false).describe('Under `hidden`/`summary`, accept `logit_bias` instead of refusing it with 400.'),
  maxLogitBiasEntries: int().positive().default(20).describe('With `allowLogitBias`, the most token ids one `logit_bias` may name.'),
  maxN: int().positive().default(1).describe('The largest `n` (choices per request) accepted under `hidden`/`summary`; above it, 400.'),
  allowPrefill: z.boolean().default(false).describe('Accept a conversation ending with an assistant message (prefill continuation) under `hidden`/`summary`.'),
  allowedExtras: z
    .array(z.string().min(1))
    .default(['top_k', 'min_p', 'repetition_penalty'])
    .describe('Engine-specific request fields forwarded to OpenAI-compatible upstreams under `hidden`/`summary`.'),
  copySpanWords: int().min(4).default(12).describe('An answer or tool argument repeating this many consecutive words of the hidden reasoning is flagged `reasoning_copied`.'),
  cacheSalt: z.boolean().default(true).describe('Send a per-tenant vLLM `cache_salt` to providers with `cacheSalt: true`.'),
});

export const summarySchema = z.strictObject({
  model: z.string().min(1).optional().describe('The model (a `models[].name`) that writes reasoning summaries; required for `summary`.'),
  maxTokens: int().positive().max(1024).default(120).describe('Length cap of one summary, in tokens.'),
  timeoutMs: int().positive().default(20_000).describe('Longest wait for the summariser; on timeout the answer goes without a summary.'),
});

export const veilSchema = z.strictObject({
  defaults: z
    .strictObject({
      internal: policy.default('visible').describe('Policy for keys of class `internal`.'),
      external: policy.default('hidden').describe('Policy for keys of class `external`.'),
    })
    .default({ internal: 'visible', external: 'hidden' }),
  tenants: z.record(z.string().min(1), overrideSchema).default({}).describe('Tenant id → overrides.'),
  keys: z.record(z.string().min(1), overrideSchema).default({}).describe('Key id (`config:<name>` for `auth.keys`) → overrides; beat the tenant’s.'),
  leakChannels: leakChannelsSchema.default({
    allowLogprobs: false,
    maxTopLogprobs: 5,
    allowLogitBias: false,
    maxLogitBiasEntries: 20,
    maxN: 1,
    allowPrefill: false,
    allowedExtras: ['top_k', 'min_p', 'repetition_penalty'],
    copySpanWords: 12,
    cacheSalt: true,
  }),
  summary: summarySchema.default({ maxTokens: 120, timeoutMs: 20_000 }),
  tokenizers: z
    .record(z.string().min(1), z.string().min(1))
    .default({})
    .describe('`models[].name` → path of the model’s `tokenizer.json`, to count reasoning tokens the upstream does not report.'),
}).refine(
  (veil) =>
    veil.summary.model !== undefined ||
    ![...Object.values(veil.defaults), ...Object.values(veil.tenants).map((o) => o.reasoning), ...Object.values(veil.keys).map((o) => o.reasoning)].includes('summary'),
  { message: '`reasoning: summary` is used, so `veil.summary.model` must name the model that writes summaries', path: ['summary', 'model'] },
);

export type VeilConfig = z.infer<typeof veilSchema>;
export type LeakChannelsConfig = z.infer<typeof leakChannelsSchema>;

export const DEFAULT_VEIL: VeilConfig = veilSchema.parse({});
