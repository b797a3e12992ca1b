-- This instance is alive: its hash lives on and it stays in the index of instances.
-- KEYS: 1 this instance's presence hash, 2 the instances index.  ARGV: 1 instance id, 2 ttl ms.
-- Returns 1 if the hash was there, 0 if it had expired (the caller writes it again).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), ARGV[1])
return redis.call('PEXPIRE', KEYS[1], ARGV[2])
