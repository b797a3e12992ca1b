-- Writes this instance's counts whole (at its first change, after its hash expired, or
-- after Redis lost it), and lists the instance as alive.
-- KEYS: 1 this instance's presence hash, 2 the instances index.
-- ARGV: 1 ttl ms, 2 instance id, then key, count pairs.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('DEL', KEYS[1])
for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[1]), ARGV[2])
return 1
