-- Adds delta to this instance's count of each key; a count that reaches 0 goes.
-- KEYS: 1 this instance's presence hash.  ARGV: 1 delta, 2 ttl ms, then each key.
local delta = tonumber(ARGV[1])
for i = 3, #ARGV do
  if redis.call('HINCRBY', KEYS[1], ARGV[i], delta) <= 0 then redis.call('HDEL', KEYS[1], ARGV[i]) end
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
