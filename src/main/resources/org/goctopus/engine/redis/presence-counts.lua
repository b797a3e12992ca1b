-- Sockets per key over every instance alive (its heartbeat not older than its ttl).
-- KEYS: 1 the instances index.  ARGV: 1 key prefix.
-- Returns {key, count, key, count, ...}.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local sums = {}
for _, instance in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local counts = redis.call('HGETALL', ARGV[1] .. 'p:' .. instance)
  for i = 1, #counts, 2 do
    sums[counts[i]] = (sums[counts[i]] or 0) + tonumber(counts[i + 1])
  end
end
local out = {}
for key, count in pairs(sums) do
  out[#out + 1] = key
  out[#out + 1] = count
end
return out
