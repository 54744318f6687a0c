/**
 * The Lua scripts that keep limits in Redis (decision 0013). Each runs atomically on the server, so
 * replicas never interleave inside an admission. Time is the Redis server's (`TIME`), one clock for
 * every replica, unless a test passes its own. The GCRA arithmetic is gcra.ts's; keep them in step.
 */

/** Reads the time: ARGV[i] in ms when given (tests), else the server's clock. */
const NOW = `
local function now_ms(given)
  local n = tonumber(given)
  if n then return n end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
end
local PERIOD = 60000
local EPS = 1e-6
local function remaining_at(tat, now, interval)
  local r = math.floor((PERIOD - (tat - now)) / interval + EPS)
  if r < 0 then return 0 end
  return r
end
`;

/**
 * Admission, all or nothing.
 * KEYS: the rate counters (GCRA), then the concurrency sets.
 * ARGV: rateCount, member, leaseMs, nowMs or '', then limit and cost for each rate counter, then limit
 * for each concurrency set.
 * Returns {allowed, then remaining, resetMs, retryAfterMs for each key}; retryAfterMs −1: never.
 */
export const ADMIT_SCRIPT = `${NOW}
local n_rate = tonumber(ARGV[1])
local member = ARGV[2]
local lease = tonumber(ARGV[3])
local now = now_ms(ARGV[4])
local allowed = 1
local out = {0}
local tats = {}
for i = 1, n_rate do
  local limit = tonumber(ARGV[3 + 2 * i])
  local cost = tonumber(ARGV[4 + 2 * i])
  local interval = PERIOD / limit
  local tat = tonumber(redis.call('GET', KEYS[i]))
  local base = now
  if tat and tat > now then base = tat end
  local nxt = base + cost * interval
  if nxt - now <= PERIOD + EPS then
    tats[i] = nxt
    table.insert(out, remaining_at(nxt, now, interval))
    table.insert(out, math.ceil(nxt - now))
    table.insert(out, 0)
  else
    allowed = 0
    table.insert(out, remaining_at(base, now, interval))
    table.insert(out, math.ceil(base - now))
    if cost * interval > PERIOD + EPS then table.insert(out, -1) else table.insert(out, math.ceil(nxt - PERIOD - now)) end
  end
end
for j = n_rate + 1, #KEYS do
  local limit = tonumber(ARGV[4 + 2 * n_rate + (j - n_rate)])
  redis.call('ZREMRANGEBYSCORE', KEYS[j], '-inf', now)
  local used = redis.call('ZCARD', KEYS[j])
  if redis.call('ZSCORE', KEYS[j], member) then used = used - 1 end
  if used < limit then
    table.insert(out, limit - used - 1)
    table.insert(out, 0)
    table.insert(out, 0)
  else
    allowed = 0
    table.insert(out, 0)
    table.insert(out, 0)
    table.insert(out, 1000)
  end
end
out[1] = allowed
if allowed == 1 then
  for i = 1, n_rate do
    redis.call('SET', KEYS[i], string.format('%.17g', tats[i]), 'PX', math.ceil(tats[i] - now) + 1)
  end
  for j = n_rate + 1, #KEYS do
    redis.call('ZADD', KEYS[j], now + lease, member)
    redis.call('PEXPIRE', KEYS[j], lease * 2)
  end
end
return out
`;

/**
 * Settles token reservations. KEYS: token counters. ARGV: nowMs or '', then limit and deltaTokens for
 * each key. A counter whose bucket ends up full is deleted.
 */
export const ADJUST_SCRIPT = `${NOW}
local now = now_ms(ARGV[1])
for i = 1, #KEYS do
  local limit = tonumber(ARGV[2 * i])
  local delta = tonumber(ARGV[2 * i + 1])
  local tat = tonumber(redis.call('GET', KEYS[i]))
  local base = now
  if tat and tat > now then base = tat end
  local nxt = base + delta * (PERIOD / limit)
  if nxt <= now then redis.call('DEL', KEYS[i])
  else redis.call('SET', KEYS[i], string.format('%.17g', nxt), 'PX', math.ceil(nxt - now) + 1) end
end
return #KEYS
`;

/**
 * Extends in-flight leases (a replica's heartbeat) so a live request keeps its slot and a dead
 * replica's slots lapse. KEYS: concurrency sets. ARGV: leaseMs, nowMs or '', then the member for each
 * key. Only members still present are extended (ZADD XX).
 */
export const RENEW_SCRIPT = `${NOW}
local lease = tonumber(ARGV[1])
local now = now_ms(ARGV[2])
for i = 1, #KEYS do
  redis.call('ZADD', KEYS[i], 'XX', now + lease, ARGV[2 + i])
  redis.call('PEXPIRE', KEYS[i], lease * 2)
end
return #KEYS
`;
