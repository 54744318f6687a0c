import { z } from 'zod';

/**
 * The measured SLA (docs/sla.md, decision 0019): sliding windows per upstream, shared through Redis,
 * alerts on breached objectives. `slo:` is set per provider; the rest once at the top level.
 */
const int = () => z.coerce.number<number>().int();
const num = () => z.coerce.number<number>();
/** Longest window or slice kept: one day. */
const DAY_MS = 86_400_000;

export const sloSchema = z
  .strictObject({
    availability: num().gt(0).max(1).optional().describe('Least share of attempts answered (ok / all but client errors), e.g. 0.999.'),
    errorRate: num().min(0).lt(1).optional().describe('Largest share of attempts failed on the upstream side (5xx, timeouts, connection failures).'),
    latencyP95Ms: num().positive().optional().describe('Largest p95 latency of successful attempts, ms.'),
    latencyP99Ms: num().positive().optional().describe('Largest p99 latency of successful attempts, ms.'),
    ttftP95Ms: num().positive().optional().describe('Largest p95 time to first token of successful streams, ms.'),
    windowMs: int().positive().max(DAY_MS).default(300_000).describe('The sliding window the objectives are judged over.'),
    minRequests: int().positive().default(20).describe('Fewer samples in the window: no verdict (neither breached nor met).'),
  })
  .refine((s) => [s.availability, s.errorRate, s.latencyP95Ms, s.latencyP99Ms, s.ttftP95Ms].some((v) => v !== undefined), {
    message: 'give at least one of `availability`, `errorRate`, `latencyP95Ms`, `latencyP99Ms`, `ttftP95Ms`',
  });

const slaRedisSchema = z.strictObject({
  url: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379')
    .optional()
    .describe('Merge every replica’s figures through this Redis; without it each replica reports its own.'),
  keyPrefix: z.string().default('moat:sla:'),
  flushMs: int().min(100).max(60_000).default(1000).describe('How often a replica pushes what it recorded.'),
  commandTimeoutMs: int().positive().default(500),
});

const slaAlertsSchema = z.strictObject({
  webhookUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional().describe('POST each alert here as JSON; the log line is written either way.'),
  cooldownMs: int().nonnegative().default(900_000).describe('Least time between two alerts of one objective; a breach that lasts is repeated this often.'),
  retries: int().nonnegative().max(10).default(3),
  timeoutMs: int().positive().default(5000),
  backoffMs: int().nonnegative().default(1000),
});

export const slaSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    sliceMs: int().min(100).max(DAY_MS).default(10_000).describe('Windows slide by this step.'),
    windowsMs: z.array(int().positive().max(DAY_MS)).min(1).default([60_000, 300_000, 3_600_000]),
    evaluateMs: int().min(100).default(5000).describe('How often SLOs are judged and the metrics refreshed.'),
    redis: slaRedisSchema.default({ keyPrefix: 'moat:sla:', flushMs: 1000, commandTimeoutMs: 500 }),
    alerts: slaAlertsSchema.default({ cooldownMs: 900_000, retries: 3, timeoutMs: 5000, backoffMs: 1000 }),
  })
  .refine((s) => s.windowsMs.every((w) => w >= s.sliceMs), { message: 'every window must be at least `sliceMs` long', path: ['windowsMs'] });

export const DEFAULT_SLA = {
  enabled: true,
  sliceMs: 10_000,
  windowsMs: [60_000, 300_000, 3_600_000],
  evaluateMs: 5000,
  redis: { keyPrefix: 'moat:sla:', flushMs: 1000, commandTimeoutMs: 500 },
  alerts: { cooldownMs: 900_000, retries: 3, timeoutMs: 5000, backoffMs: 1000 },
};

export type SlaConfig = z.infer<typeof slaSchema>;
export type SloConfigInput = z.infer<typeof sloSchema>;
