-- Removes one message from the queues of the keys given (an ACK, or DELETE of one
-- message), keeps the byte count and the keys set right, deletes the message once
-- no queue holds it, and publishes what left.
-- KEYS: 1 the message's hash, 2 expiry index, 3 queued bytes, 4 keys set, then each key's queue.
-- ARGV: 1 id, 2 channel, 3 why (ACKNOWLEDGED, DELETED), then each key.
-- Returns how many queue entries went.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local removed = {}
for i = 5, #KEYS do
  if redis.call('ZREM', KEYS[i], ARGV[1]) == 1 then
    removed[#removed + 1] = ARGV[i - 1]
    if redis.call('ZCARD', KEYS[i]) == 0 then redis.call('SREM', KEYS[4], ARGV[i - 1]) end
  end
end
if #removed == 0 then return 0 end
redis.call('INCRBY', KEYS[3], -tonumber(redis.call('HGET', KEYS[1], 'z')) * #removed)
local gone = 0
if redis.call('HINCRBY', KEYS[1], 'n', -#removed) <= 0 then
  redis.call('DEL', KEYS[1])
  redis.call('ZREM', KEYS[2], ARGV[1])
  gone = 1
end
redis.call('PUBLISH', ARGV[2], 'l\n' .. ARGV[1] .. '\n' .. ARGV[3] .. '\n' .. gone .. '\n' .. cjson.encode(removed))
return #removed
