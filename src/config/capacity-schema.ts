import { z } from 'zod';

/**
 * Capacity protection (docs/capacity.md): slots per upstream and the queue in front of them, set per
 * provider; priorities, tenant weights and the shared Redis pool, set once at the top level.
 */
const int = () => z.coerce.number<number>().int();

export const providerCapacitySchema = z.strictObject({
  maxInFlight: int().positive().describe('Requests this upstream may have in flight at once (its GPU slots), across all replicas when `capacity.redis` is set.'),
  queue: z
    .strictObject({
      maxQueued: int().nonnegative().default(100).describe('Requests that may wait for a slot on this replica; more are shed with 503.'),
      timeoutMs: int().positive().max(3_600_000).default(30_000).describe('Longest wait for a slot before a 503.'),
    })
    .default({ maxQueued: 100, timeoutMs: 30_000 }),
});

const capacityRedisSchema = z.strictObject({
  url: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379').describe('Share every upstream slot count across replicas through this Redis.'),
  keyPrefix: z.string().default('moat:').describe('Prefix of the Redis keys and channels.'),
  onOutage: z.enum(['failOpen', 'failClosed']).default('failOpen').describe('When Redis fails: `failOpen` counts slots per replica, `failClosed` answers 503 (the same names as `rateLimits.redis.onOutage`).'),
  leaseMs: int().min(1000).default(10_000).describe('A slot whose replica stopped renewing it frees after this long.'),
  pollMs: int().min(10).default(200).describe('How often a replica with waiting requests asks for a slot, besides being told when one frees.'),
  commandTimeoutMs: int().positive().default(500).describe('Longest wait for a Redis answer before `onOutage` applies.'),
});

export const capacitySchema = z.strictObject({
  tiers: z
    .record(z.string().min(1), int().nonnegative())
    .default({ premium: 0, standard: 1, batch: 2 })
    .describe("A key's tier → its priority class; 0 is served first, strictly before 1."),
  defaultPriority: int().nonnegative().default(1).describe('The priority of a tier `tiers` does not name.'),
  tenantWeights: z.record(z.string().min(1), z.coerce.number<number>().positive()).default({}).describe('Tenant id → weight among the tenants of one class.'),
  defaultTenantWeight: z.coerce.number<number>().positive().default(1).describe('The weight of a tenant `tenantWeights` does not name.'),
  redis: capacityRedisSchema.optional(),
});

export const DEFAULT_CAPACITY = { tiers: { premium: 0, standard: 1, batch: 2 }, defaultPriority: 1, tenantWeights: {}, defaultTenantWeight: 1 };

export type ProviderCapacityConfig = z.infer<typeof providerCapacitySchema>;
export type CapacityConfig = z.infer<typeof capacitySchema>;
export type CapacityRedisConfig = z.infer<typeof capacityRedisSchema>;
