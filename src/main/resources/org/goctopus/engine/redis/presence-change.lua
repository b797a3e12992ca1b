-- Adds to this instance's count of each key; a count that reaches 0 goes.
-- KEYS: 1 this instance's presence hash.  ARGV: 1 ttl ms, then key, delta pairs.
for i = 2, #ARGV, 2 do
  if redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1]) <= 0 then redis.call('HDEL', KEYS[1], ARGV[i]) end
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
