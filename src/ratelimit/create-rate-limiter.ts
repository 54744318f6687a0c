import type { RateLimitsConfig } from '../config/index.ts';
import type { GatewayMetrics, Logger } from '../telemetry/index.ts';
import { RateLimiter } from './rate-limiter.ts';
import { RedisRateLimitStore } from './redis-store.ts';

/** The Redis URL without its password, for logs. */
function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.href;
  } catch {
    return 'redis://…';
  }
}

/**
 * The gateway's limiter: counters in Redis when `rateLimits.redis.url` is set (taken at start; a change
 * needs a restart), in this process otherwise. An outage is logged once when it starts and once when
 * it ends, and counted per admission in `moat_ratelimit_store_failures_total`.
 */
export function createRateLimiter(config: RateLimitsConfig, logger: Logger, metrics: GatewayMetrics): RateLimiter {
  const { redis } = config;
  if (redis.url === undefined) return new RateLimiter();
  const where = redactedUrl(redis.url);
  const shared = new RedisRateLimitStore({ url: redis.url, keyPrefix: redis.keyPrefix, commandTimeoutMs: redis.commandTimeoutMs, leaseMs: redis.leaseMs });
  metrics.rateLimitStoreUp.set(1);
  return new RateLimiter({
    shared,
    onStoreDown: (error, policy) => {
      metrics.rateLimitStoreUp.set(0);
      logger.error(
        { err: error, redis: where, policy },
        policy === 'failOpen'
          ? 'rate-limit store (Redis) unavailable: failing open, each replica counts its own requests until it is back'
          : 'rate-limit store (Redis) unavailable: failing closed, limited requests get 503 until it is back',
      );
    },
    onStoreUp: () => {
      metrics.rateLimitStoreUp.set(1);
      logger.info({ redis: where }, 'rate-limit store (Redis) answers again');
    },
    onStoreFailure: (policy) => metrics.rateLimitStoreFailures.inc({ policy }),
  });
}
