import type { Redis } from 'ioredis';

/**
 * The shared slot pool's Lua scripts. Slots are leases in a sorted set (member: holder id, score: when
 * the lease ends, in Redis's own clock so replicas' clocks do not matter); a replica that dies stops
 * renewing and its slots free when their leases end. Waiting replicas register their best waiting
 * priority in a hash, so a replica asking for a worse class yields to them.
 */

// Shared prologue: Redis's time in ms; expired leases and stale waiter registrations dropped.
const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/**
 * KEYS: slots, waiters. ARGV: holder, maxInFlight, leaseMs, replica, priority, waiterTtlMs.
 * 1: the slot is the holder's. 0: none free. -1: a replica waits with a better priority.
 */
const TAKE = `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local priority = tonumber(ARGV[5])
local waiters = redis.call('HGETALL', KEYS[2])
for i = 1, #waiters, 2 do
  local p, expires = string.match(waiters[i + 1], '^(%d+):(%d+)$')
  if p == nil or tonumber(expires) <= now then
    redis.call('HDEL', KEYS[2], waiters[i])
  elseif waiters[i] ~= ARGV[4] and tonumber(p) < priority then
    redis.call('HSET', KEYS[2], ARGV[4], priority .. ':' .. (now + tonumber(ARGV[6])))
    redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[6]))
    return -1
  end
end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[2], ARGV[4], priority .. ':' .. (now + tonumber(ARGV[6])))
  redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[6]))
  return 0
end
redis.call('HDEL', KEYS[2], ARGV[4])
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) * 2)
return 1
`;

/** KEYS: slots. ARGV: holder, channel. Frees the slot and tells every replica. */
const GIVE = `
local removed = redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('PUBLISH', ARGV[2], '1')
return removed
`;

/** KEYS: slots. ARGV: leaseMs, holder… Extends the leases still held; returns how many were. */
const RENEW = `${NOW}
local renewed = 0
for i = 2, #ARGV do
  if redis.call('ZSCORE', KEYS[1], ARGV[i]) then
    redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[i])
    renewed = renewed + 1
  end
end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]) * 2)
return renewed
`;

export interface CapacityScripts {
  take(slots: string, waiters: string, holder: string, maxInFlight: number, leaseMs: number, replica: string, priority: number, waiterTtlMs: number): Promise<number>;
  give(slots: string, holder: string, channel: string): Promise<number>;
  renew(slots: string, leaseMs: number, holders: readonly string[]): Promise<number>;
}

type Scripted = Redis & {
  moatCapacityTake(...args: Array<string | number>): Promise<number>;
  moatCapacityGive(...args: string[]): Promise<number>;
  moatCapacityRenew(...args: Array<string | number>): Promise<number>;
};

/** Registers the scripts on a connection (sent once, then run by SHA). */
export function capacityScripts(redis: Redis): CapacityScripts {
  redis.defineCommand('moatCapacityTake', { numberOfKeys: 2, lua: TAKE });
  redis.defineCommand('moatCapacityGive', { numberOfKeys: 1, lua: GIVE });
  redis.defineCommand('moatCapacityRenew', { numberOfKeys: 1, lua: RENEW });
  const scripted = redis as Scripted;
  return {
    take: (slots, waiters, holder, max, leaseMs, replica, priority, ttl) => scripted.moatCapacityTake(slots, waiters, holder, max, leaseMs, replica, priority, ttl),
    give: (slots, holder, channel) => scripted.moatCapacityGive(slots, holder, channel),
    renew: (slots, leaseMs, holders) => scripted.moatCapacityRenew(slots, leaseMs, ...holders),
  };
}
