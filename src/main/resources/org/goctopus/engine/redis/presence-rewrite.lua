-- Writes this instance's counts whole (after its hash expired, or Redis lost it).
-- KEYS: 1 this instance's presence hash.  ARGV: 1 ttl ms, then key, count pairs.
redis.call('DEL', KEYS[1])
for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
