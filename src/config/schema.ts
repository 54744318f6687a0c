import { z } from 'zod';
import { pricingConfigSchema } from '../pricing/index.ts';
import { capacitySchema, DEFAULT_CAPACITY, providerCapacitySchema } from './capacity-schema.ts';
import { DEFAULT_VEIL, veilSchema } from '../veil/veil-schema.ts';
import { DEFAULT_SLA, slaSchema, sloSchema } from './sla-schema.ts';
import { DEFAULT_ROUTING, healthProbeSchema, routeSchema, routingSchema, targetFields } from './routing-schema.ts';
import { savingsSchema } from './savings-schema.ts';
import { DEFAULT_PRIVACY, privacySchema } from '../privacy/privacy-schema.ts';

/**
 * The config file's shape. Every field has a default, so an empty file is a valid config.
 * docs/config.md is the reference; keep the two in step (a test checks every key is documented).
 */
// Numbers are coerced so that `port: ${PORT}` works: an interpolated value is always a string.
const int = () => z.coerce.number<number>().int();
const port = int().min(0).max(65535);
const positiveMs = int().positive();

/** Request options a target may be unable to honour; see src/pipeline/check-options.ts for their effect. */
export const KNOWN_OPTIONAL_PARAMS = [
  'logprobs', 'top_logprobs', 'n', 'response_format', 'tools', 'tool_choice', 'parallel_tool_calls',
  'seed', 'stop', 'presence_penalty', 'frequency_penalty', 'logit_bias', 'user', 'metadata', 'store',
  'service_tier', 'reasoning_effort', 'prediction', 'modalities', 'audio', 'web_search_options',
  'prompt_cache_key', 'safety_identifier', 'stream_options', 'verbosity',
] as const;
export type OptionalParam = (typeof KNOWN_OPTIONAL_PARAMS)[number];

const unsupportedParams = z.array(z.enum(KNOWN_OPTIONAL_PARAMS)).default([]);

const timeoutsSchema = z.strictObject({
  headersMs: positiveMs.default(600_000).describe('Longest wait for the upstream response headers.'),
  idleMs: positiveMs.default(300_000).describe('Longest silence from the upstream in the middle of a response body.'),
  keepAliveMs: positiveMs.default(15_000).describe('Send an SSE comment to a streaming client after this much silence.'),
});

/** Names of stored provider credentials (`PUT /admin/credentials/:name`, `credential:` in a provider). */
export const CREDENTIAL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

const providerBase = {
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://api.openai.com/v1' }),
  apiKeyEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be the NAME of an environment variable, not the key itself').optional(),
  credential: z
    .string()
    .regex(CREDENTIAL_NAME, 'must be the NAME of a stored credential (A-Z, a-z, 0-9, `.`, `_`, `-`), not the key itself')
    .optional()
    .describe('A credential stored through the admin API (encrypted at rest) that holds the key, instead of `apiKeyEnv`.'),
  headers: z.record(z.string(), z.string()).default({}),
  unsupportedParams,
  connections: int().positive().default(256),
  timeouts: timeoutsSchema.partial().default({}),
  capacity: providerCapacitySchema.optional(),
  slo: sloSchema.optional().describe('Service-level objectives of this upstream (docs/sla.md): a breach raises an alert.'),
  health: healthProbeSchema.optional().describe('Probe the upstream actively; a target whose upstream is down is skipped.'),
};

const oneKeySource = { message: 'give either `apiKeyEnv` or `credential`, not both', path: ['credential'] };

/** The vendor's variable is the default `apiKeyEnv`, unless the key comes from a stored `credential`. */
function defaultKeyEnv(variable: string) {
  return <P extends { apiKeyEnv?: string | undefined; credential?: string | undefined }>(provider: P): P =>
    provider.apiKeyEnv === undefined && provider.credential === undefined ? { ...provider, apiKeyEnv: variable } : provider;
}

const openAIProviderSchema = z
  .strictObject({
    type: z.literal('openai'),
    ...providerBase,
    baseUrl: providerBase.baseUrl.default('https://api.openai.com/v1'),
    organization: z.string().optional(),
    project: z.string().optional(),
  })
  .refine((p) => p.apiKeyEnv === undefined || p.credential === undefined, oneKeySource)
  .transform(defaultKeyEnv('OPENAI_API_KEY'));

const openAICompatibleProviderSchema = z
  .strictObject({
    type: z.literal('openai-compatible'),
    ...providerBase,
    cacheSalt: z.boolean().default(false).describe('The server takes vLLM\'s per-request `cache_salt` (vLLM ≥ 0.9): the reasoning veil salts each tenant\'s prompt cache.'),
  })
  .refine((p) => p.apiKeyEnv === undefined || p.credential === undefined, oneKeySource);

const anthropicProviderSchema = z
  .strictObject({
    type: z.literal('anthropic'),
    ...providerBase,
    baseUrl: providerBase.baseUrl.default('https://api.anthropic.com/v1'),
  })
  .refine((p) => p.apiKeyEnv === undefined || p.credential === undefined, oneKeySource)
  .transform(defaultKeyEnv('ANTHROPIC_API_KEY'));

export const PROVIDER_TYPES = ['openai', 'openai-compatible', 'anthropic'] as const;

export const providerSchema = z.discriminatedUnion('type', [openAIProviderSchema, openAICompatibleProviderSchema, anthropicProviderSchema], {
  error: (issue) => (issue.code === 'invalid_union' ? `\`type\` must be one of: ${PROVIDER_TYPES.join(', ')}` : undefined),
});

export const modelSchema = z.strictObject({
  name: z.string().min(1).refine((n) => n.split('*').length <= 2, 'may hold at most one `*` wildcard'),
  provider: z.string().min(1),
  model: z.string().min(1).optional().describe('Upstream model name; `*` takes the part the name pattern matched.'),
  reasoning: z.boolean().default(false).describe('An OpenAI reasoning model: `max_tokens` is sent as `max_completion_tokens`.'),
  reasoningFormat: z
    .enum(['fields', 'think-tags', 'think-tags-open'])
    .default('fields')
    .describe('Where an OpenAI-compatible server puts reasoning: `reasoning_content`/`reasoning` fields, or `<think>` tags in the text.'),
  unsupportedParams,
  ownedBy: z.string().optional(),
  ...targetFields,
});

const authKeySchema = z
  .strictObject({
    name: z.string().min(1),
    key: z.string().min(16, 'must be at least 16 characters').optional(),
    keyEnv: z.string().optional(),
    keySha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits (sha256 of the key)').optional(),
  })
  .refine((k) => [k.key, k.keyEnv, k.keySha256].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of `key`, `keyEnv` or `keySha256`',
  });

const adminKeySchema = z
  .strictObject({
    name: z.string().min(1),
    role: z.enum(['admin', 'read-only']).default('admin'),
    keyEnv: z.string().optional(),
    keySha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits (sha256 of the key)').optional(),
  })
  .refine((k) => (k.keyEnv === undefined) !== (k.keySha256 === undefined), { message: 'give exactly one of `keyEnv` or `keySha256`' });

/** What a rate-limit rule's counter is kept per: each key, each tenant, each model, or their combinations. */
export const RATE_LIMIT_DIMENSIONS = ['key', 'tenant', 'model'] as const;

const rateLimitRuleSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'use A-Z, a-z, 0-9, `.`, `_`, `-` (at most 64)')
      .optional()
      .describe('Names the rule in refusals, and keeps its counters when its limits are edited.'),
    match: z
      .strictObject({
        key: z.string().min(1).optional().describe('A key id (`config:<name>` for keys in `auth.keys`).'),
        tenant: z.string().min(1).optional().describe('A tenant id (`default` for keys in `auth.keys`).'),
        tier: z.string().min(1).optional().describe("The key's tier."),
        model: z
          .string()
          .min(1)
          .refine((m) => m.split('*').length <= 2, 'may hold at most one `*` wildcard')
          .optional()
          .describe('A model name the client sends or a `models[].name`; one `*` wildcard allowed.'),
      })
      .default({}),
    per: z.union([z.enum(['key', 'tenant', 'model', 'global']), z.array(z.enum(RATE_LIMIT_DIMENSIONS)).min(1)], {
      error: 'must be `key`, `tenant`, `model`, `global`, or a list of `key`, `tenant`, `model` (e.g. [tenant, model])',
    }),
    requestsPerMinute: int().positive().optional(),
    tokensPerMinute: int().positive().optional(),
    concurrent: int().positive().optional(),
  })
  .refine((r) => r.requestsPerMinute !== undefined || r.tokensPerMinute !== undefined || r.concurrent !== undefined, {
    message: 'give at least one of `requestsPerMinute`, `tokensPerMinute`, `concurrent`',
  });

const rateLimitsSchema = z
  .strictObject({
    rules: z.array(rateLimitRuleSchema).default([]),
    defaultMaxOutputTokens: int().positive().default(4096).describe('Output tokens a request without `max_tokens` reserves against a tokens-per-minute limit.'),
    redis: z
      .strictObject({
        url: z
          .string()
          .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379')
          .optional()
          .describe('Keep counters in this Redis, shared by every replica; without it each process counts alone.'),
        keyPrefix: z.string().default('moat:rl:'),
        commandTimeoutMs: positiveMs.default(250),
        leaseMs: positiveMs.min(1000).default(30_000),
        onOutage: z.enum(['failOpen', 'failClosed']).default('failOpen'),
      })
      .default({ keyPrefix: 'moat:rl:', commandTimeoutMs: 250, leaseMs: 30_000, onOutage: 'failOpen' }),
  })
  .refine((r) => new Set(r.rules.flatMap((rule) => (rule.name ? [rule.name] : []))).size === r.rules.filter((rule) => rule.name).length, {
    message: 'two rules have the same `name`',
    path: ['rules'],
  });

export const configSchema = z.strictObject({
  server: z
    .strictObject({
      host: z.string().default('127.0.0.1'),
      port: port.default(4100),
      bodyLimitBytes: int().positive().default(10 * 1024 * 1024),
      shutdownGraceMs: int().nonnegative().default(10_000),
    })
    .default({ host: '127.0.0.1', port: 4100, bodyLimitBytes: 10 * 1024 * 1024, shutdownGraceMs: 10_000 }),
  auth: z
    .strictObject({ keys: z.array(authKeySchema).default([]) })
    .default({ keys: [] }),
  timeouts: timeoutsSchema.default({ headersMs: 600_000, idleMs: 300_000, keepAliveMs: 15_000 }),
  log: z
    .strictObject({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') })
    .default({ level: 'info' }),
  storage: z
    .strictObject({
      enabled: z.boolean().default(true).describe('Keys, tenants and the usage ledger in a database; off, only `auth.keys` are known and nothing is metered.'),
      path: z.string().min(1).default('.moat/moat.db').describe('The embedded SQLite database file.'),
      url: z.string().optional().describe('A postgres:// URL: use PostgreSQL instead of the embedded database.'),
      journalDir: z.string().min(1).default('.moat/journal').describe('Where ledger rows are journaled before they reach the database.'),
    })
    .default({ enabled: true, path: '.moat/moat.db', journalDir: '.moat/journal' }),
  budgets: z
    .strictObject({
      defaultMaxOutputTokens: z.number().int().positive().default(4096).describe('Output tokens a request without `max_tokens` reserves against a hard budget.'),
      reservationTtlMs: z.number().int().positive().default(600_000).describe('An unsettled reservation (its replica died) is charged from the ledger or released after this long.'),
    })
    .default({ defaultMaxOutputTokens: 4096, reservationTtlMs: 600_000 }),
  rateLimits: rateLimitsSchema.default({ rules: [], defaultMaxOutputTokens: 4096, redis: { keyPrefix: 'moat:rl:', commandTimeoutMs: 250, leaseMs: 30_000, onOutage: 'failOpen' } }),
  admin: z.strictObject({ keys: z.array(adminKeySchema).default([]) }).default({ keys: [] }),
  pricing: pricingConfigSchema.default({ models: [] }),
  capacity: capacitySchema.default(DEFAULT_CAPACITY),
  providers: z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'provider names use a-z, 0-9, _ and -'), providerSchema).default({}),
  models: z.array(modelSchema).default([]),
  sla: slaSchema.default(DEFAULT_SLA),
  routes: z.array(routeSchema).default([]),
  routing: routingSchema.default(DEFAULT_ROUTING),
  veil: veilSchema.default(DEFAULT_VEIL),
  privacy: privacySchema.default(DEFAULT_PRIVACY),
  savings: savingsSchema.default({}),
});

export type MoatConfig = z.infer<typeof configSchema>;
export type ProviderConfig = z.infer<typeof providerSchema>;
export type ModelConfig = z.infer<typeof modelSchema>;
export type TimeoutsConfig = z.infer<typeof timeoutsSchema>;
export type RateLimitsConfig = z.infer<typeof rateLimitsSchema>;
export type RateLimitRuleConfig = z.infer<typeof rateLimitRuleSchema>;
