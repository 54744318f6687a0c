/**
 * Adds one push of slice deltas, atomically.
 * KEYS[1]: the set of upstreams (sorted by last push); KEYS[2..]: one hash per (upstream, slice).
 * ARGV: ttl ms, now ms, then per slice: upstream, field count, field, delta, field, delta…
 */
export const PUSH_SCRIPT = `
local ttl = tonumber(ARGV[1])
local now = tonumber(ARGV[2])
local a = 3
for k = 2, #KEYS do
  local upstream = ARGV[a]
  local n = tonumber(ARGV[a + 1])
  a = a + 2
  for i = 1, n do
    redis.call('HINCRBY', KEYS[k], ARGV[a], ARGV[a + 1])
    a = a + 2
  end
  redis.call('PEXPIRE', KEYS[k], ttl)
  redis.call('ZADD', KEYS[1], now, upstream)
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - ttl)
redis.call('PEXPIRE', KEYS[1], ttl)
return #KEYS - 1
`;

/**
 * Takes or keeps the lease of the replica that sends alerts. KEYS[1]: the lease; ARGV: replica id, ttl ms.
 * Returns 1 when this replica holds it.
 */
export const LEAD_SCRIPT = `
local holder = redis.call('GET', KEYS[1])
if holder == false or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', tonumber(ARGV[2]))
  return 1
end
return 0
`;
