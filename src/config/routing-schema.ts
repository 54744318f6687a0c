import { z } from 'zod';

/**
 * Routing (docs/routing.md): what each target is, the routes that resolve a client's model name to an
 * ordered list of targets, and how failures are retried, fallen back from and kept away from.
 */
const int = () => z.coerce.number<number>().int();

export const TIERS = ['local', 'premium'] as const;
export type Tier = (typeof TIERS)[number];

export const CAPABILITIES = ['tools', 'vision', 'reasoning'] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** What a `models[]` entry (a target) declares about itself, beside its provider and upstream name. */
export const targetFields = {
  tier: z.enum(TIERS).default('premium').describe('`local` (inside the firewall) or `premium` (an outside API); privacy keeps some requests on `local`.'),
  contextWindow: int().positive().optional().describe('Most tokens (prompt + output) the model takes; longer requests skip this target.'),
  capabilities: z.array(z.enum(CAPABILITIES)).optional().describe('What the model can do; a request that needs one it lacks skips this target. Unset: assume all.'),
  weight: z.coerce.number<number>().positive().default(1).describe('Share of traffic when a route balances across targets.'),
};

/** Failure classes a route may fall back on (docs/routing.md lists what each covers). */
export const FAILURE_CLASSES = ['server_error', 'rate_limited', 'timeout', 'connection', 'capacity', 'not_found'] as const;
export type FailureClass = (typeof FAILURE_CLASSES)[number];

const retrySchema = z.strictObject({
  maxRetries: int().nonnegative().max(10).default(1).describe('Retries of the same target before falling back to the next.'),
  baseDelayMs: int().nonnegative().default(200).describe('First backoff; doubles each retry, with full jitter.'),
  maxDelayMs: int().nonnegative().default(5_000).describe('Longest backoff, and the longest `Retry-After` honoured before moving on.'),
});

export const DEFAULT_RETRY = { maxRetries: 1, baseDelayMs: 200, maxDelayMs: 5_000 };

const routeRuleSchema = z.strictObject({
  when: z
    .strictObject({
      tenant: z.string().min(1).optional(),
      keyTier: z.string().min(1).optional().describe("The key's tier."),
      keyMetadata: z.record(z.string(), z.string()).optional().describe('Every listed metadata field of the key must equal the value.'),
      tag: z.string().min(1).optional().describe('A tag from the `x-moat-tags` header or the body\'s `metadata.tags` (comma-separated).'),
      needs: z.array(z.enum(CAPABILITIES)).optional().describe('The request uses all of these (tools, images, reasoning options).'),
      minPromptTokens: int().positive().optional().describe('The prompt is at least this long (o200k estimate).'),
    })
    .describe('All given conditions must hold.'),
  targets: z.array(z.string().min(1)).min(1).describe('Targets (`models[].name`) to use instead of the route\'s, in order.'),
});

const difficultySchema = z
  .strictObject({
    premiumShare: z.coerce.number<number>().min(0).max(1).optional().describe('Send about this share of prompts, the hardest, to the premium tier.'),
    qualityTarget: z.coerce.number<number>().min(0).max(1).optional().describe("Aim for this share of the premium model's quality (e.g. 0.95)."),
  })
  .refine((d) => (d.premiumShare === undefined) !== (d.qualityTarget === undefined), { message: 'give exactly one of `premiumShare` or `qualityTarget`' });

export const routeSchema = z.strictObject({
  name: z.string().min(1).refine((n) => !n.includes('*'), 'a route name is exact (no `*`)').describe('The model name clients send, e.g. `auto` or `smart`.'),
  aliases: z.array(z.string().min(1)).default([]),
  targets: z.array(z.string().min(1)).min(1).describe('Targets (`models[].name`, exact names) in fallback order.'),
  strategy: z
    .enum(['fallback', 'weighted', 'least-latency', 'difficulty'])
    .default('fallback')
    .describe('`fallback`: in order; `weighted`: by `weight`; `least-latency`: power of two choices on latency; `difficulty`: the learned router picks the tier.'),
  difficulty: difficultySchema.optional().describe('For `strategy: difficulty`: where the threshold sits.'),
  rules: z.array(routeRuleSchema).default([]).describe('The first rule that matches replaces `targets`.'),
  fallbackOn: z.array(z.enum(FAILURE_CLASSES)).optional().describe('Failure classes that move on to the next target; default all.'),
  retry: retrySchema.partial().optional().describe('Overrides `routing.retry` for this route.'),
});

const breakerSchema = z.strictObject({
  failureThreshold: int().positive().default(5).describe('Consecutive failures (5xx, timeouts, connection errors) that open the breaker.'),
  openMs: int().positive().default(30_000).describe('How long an open breaker refuses requests before letting one through (half-open).'),
  halfOpenRequests: int().positive().default(1).describe('Trial requests let through while half-open; all must succeed to close.'),
});

export const DEFAULT_BREAKER = { failureThreshold: 5, openMs: 30_000, halfOpenRequests: 1 };

export const routingSchema = z.strictObject({
  retry: retrySchema.default(DEFAULT_RETRY),
  breaker: breakerSchema.default(DEFAULT_BREAKER),
  maxAttempts: int().positive().max(20).default(4).describe('Most upstream attempts one request may take, retries and fallbacks together.'),
  latencyHalfLifeMs: int().positive().default(10_000).describe('How fast the latency average used by `least-latency` forgets.'),
});

export const DEFAULT_ROUTING = { retry: DEFAULT_RETRY, breaker: DEFAULT_BREAKER, maxAttempts: 4, latencyHalfLifeMs: 10_000 };

/** Active health probe of one provider (`providers.<name>.health`). */
export const healthProbeSchema = z.strictObject({
  path: z.string().startsWith('/').default('/models').describe('GET this path under the base URL; any 2xx is healthy.'),
  intervalMs: int().min(250).default(10_000),
  timeoutMs: int().positive().default(2_000),
  unhealthyAfter: int().positive().default(2).describe('Consecutive failed probes that mark the upstream down.'),
  healthyAfter: int().positive().default(1).describe('Consecutive good probes that mark it up again.'),
});

export type RouteConfig = z.infer<typeof routeSchema>;
export type RouteRuleConfig = z.infer<typeof routeRuleSchema>;
export type RoutingConfig = z.infer<typeof routingSchema>;
export type RetryConfig = z.infer<typeof retrySchema>;
export type BreakerConfig = z.infer<typeof breakerSchema>;
export type HealthProbeConfig = z.infer<typeof healthProbeSchema>;
