import { Redis } from 'ioredis';

/**
 * A Redis connection for work on or near the request path (rate limits, SLA pushes): a command that
 * cannot be sent now fails at once instead of queueing (no offline queue, no retries, no resend after
 * a reconnect), one that gets no answer fails after `commandTimeoutMs`, and the connection keeps
 * trying to come back at most a second apart. The caller applies its own outage policy to failures.
 */
export function connectFailFast(url: string, commandTimeoutMs: number, connectionName: string, onError: (error: Error) => void): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: commandTimeoutMs,
    connectTimeout: Math.max(1000, commandTimeoutMs),
    retryStrategy: (times) => Math.min(times * 100, 1000),
    connectionName,
  });
  redis.on('error', onError);
  return redis;
}
