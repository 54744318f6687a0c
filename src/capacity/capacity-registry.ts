import type { MoatConfig, ProviderCapacityConfig } from '../config/index.ts';
import type { GatewayMetrics, Logger } from '../telemetry/index.ts';
import { CapacityGate, type CapacityObserver, type GateLimits } from './capacity-gate.ts';
import { CapacityRedis } from './capacity-redis.ts';
import { systemClock, type Clock } from './clock.ts';
import type { QueueTicket } from './fair-queue.ts';
import { RedisSlotPool } from './redis-slot-pool.ts';
import { LocalSlotPool } from './slot-pool.ts';

export interface CapacityRegistryOptions {
  logger: Logger;
  metrics?: GatewayMetrics;
  clock?: Clock;
}

/** Who is asking: a key's tier picks its class, its tenant its share. */
export interface CapacityCaller {
  readonly tier: string;
  readonly tenantId: string;
}

function limitsOf(capacity: ProviderCapacityConfig): GateLimits {
  return { maxInFlight: capacity.maxInFlight, maxQueued: capacity.queue.maxQueued, timeoutMs: capacity.queue.timeoutMs };
}

function metricsObserver(metrics: GatewayMetrics): CapacityObserver {
  return {
    queueDepth: (provider, depth) => metrics.capacityQueueDepth.set({ provider }, depth),
    slotsInUse: (provider, held) => metrics.capacitySlotsInUse.set({ provider }, held),
    waited: (provider, priority, ms) => metrics.capacityWait.observe({ provider, priority: String(priority) }, ms / 1000),
    shed: (provider, reason) => metrics.capacityShed.inc({ provider, reason }),
  };
}

/**
 * The capacity gates of one gateway, one per provider with `capacity`, kept across config reloads
 * (a reload changes their limits; slots held and requests waiting stay). Providers without `capacity`
 * have no gate and pay one map lookup.
 */
export class CapacityRegistry {
  private readonly gates = new Map<string, CapacityGate>();
  private readonly logger: Logger;
  private readonly metrics: GatewayMetrics | null;
  private readonly observer: CapacityObserver | undefined;
  private readonly clock: Clock;
  private redis: CapacityRedis | null = null;
  private redisSettings = 'null';
  private tiers = new Map<string, number>();
  private defaultPriority = 1;
  private weights = new Map<string, number>();
  private defaultWeight = 1;

  constructor(config: MoatConfig, options: CapacityRegistryOptions) {
    this.logger = options.logger;
    this.metrics = options.metrics ?? null;
    this.observer = this.metrics ? metricsObserver(this.metrics) : undefined;
    this.clock = options.clock ?? systemClock;
    this.configure(config);
  }

  /** The gate in front of a provider, or undefined when it has no `capacity`. */
  gate(provider: string): CapacityGate | undefined {
    return this.gates.get(provider);
  }

  ticket(caller: CapacityCaller | null): QueueTicket {
    if (caller === null) return { priority: this.defaultPriority, tenant: '', weight: this.defaultWeight };
    return {
      priority: this.tiers.get(caller.tier) ?? this.defaultPriority,
      tenant: caller.tenantId,
      weight: this.weights.get(caller.tenantId) ?? this.defaultWeight,
    };
  }

  configure(config: MoatConfig): void {
    const { capacity } = config;
    this.tiers = new Map(Object.entries(capacity.tiers));
    this.defaultPriority = capacity.defaultPriority;
    this.weights = new Map(Object.entries(capacity.tenantWeights));
    this.defaultWeight = capacity.defaultTenantWeight;
    const limited = Object.values(config.providers).some((p) => p.capacity !== undefined);
    // Gates keep their pool for life: the Redis connection is settled by the first config that needs it.
    const redisSettings = JSON.stringify(capacity.redis ?? null);
    const settled = this.redis !== null || this.gates.size > 0;
    if (!settled && limited) {
      if (capacity.redis) this.redis = this.connect(capacity.redis);
      this.redisSettings = redisSettings;
    } else if (settled && redisSettings !== this.redisSettings) {
      this.logger.warn('capacity.redis changes take effect on restart');
    }

    const configured = new Set<string>();
    for (const [name, provider] of Object.entries(config.providers)) {
      if (!provider.capacity) continue;
      configured.add(name);
      const limits = limitsOf(provider.capacity);
      const gate = this.gates.get(name);
      if (gate) gate.setLimits(limits);
      else {
        const pool = this.redis ? new RedisSlotPool(name, limits.maxInFlight, this.redis) : new LocalSlotPool(limits.maxInFlight);
        this.gates.set(name, new CapacityGate(name, limits, pool, this.clock, this.observer));
      }
    }
    // A provider that lost its `capacity`: requests already waiting are served by its old gate; new ones pass.
    for (const name of this.gates.keys()) if (!configured.has(name)) this.gates.delete(name);
  }

  /** At shutdown, once requests in flight are done. */
  async close(): Promise<void> {
    for (const gate of this.gates.values()) gate.close();
    this.gates.clear();
    await this.redis?.close();
  }

  private connect(settings: NonNullable<MoatConfig['capacity']['redis']>): CapacityRedis {
    const policy = settings.onOutage;
    return new CapacityRedis(settings, {
      failed: (error, first) => {
        this.metrics?.capacityRedisErrors.inc({ policy });
        if (!first) return;
        const effect = policy === 'failOpen' ? 'slots are counted per replica until it is back' : 'requests for capacity-limited upstreams get 503 capacity_unavailable until it is back';
        this.logger.warn({ err: error, onOutage: policy }, `capacity: Redis failed; ${effect}`);
      },
      recovered: () => this.logger.info('capacity: Redis is back; slots are shared across replicas again'),
    });
  }
}
