-- Stores one message in the queue of each target key, gives it its place in the
-- acceptance order and publishes its notification, atomically (Redis runs one
-- script at a time, so the order of the scripts is the order of the 202s).
-- KEYS: 1 seq, 2 the message's hash, 3 expiry index, 4 queued bytes, 5 keys set,
--       6 epoch, then each target key's queue, then each target key's history.
-- ARGV: 1 id, 2 value (JSON), 3 lifetime ms, 4 expire text, 5 WS_MAX_PENDING,
--       6 WS_MAX_QUEUED_BYTES, 7 history size, 8 history ttl ms, 9 channel,
--       10 target keys (JSON), 11 key prefix, 12 a fresh epoch, then each target key.
-- Returns {"ok", seq, date, expires, dropped} | {"replaced", seq, date, expires, 0}
--       | {"full"} | {"conflict"}.
local n = #ARGV - 12
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local id, value, size = ARGV[1], ARGV[2], string.len(ARGV[2])
local expires = now + tonumber(ARGV[3])
local bytes = tonumber(redis.call('GET', KEYS[4]) or '0')
local max = tonumber(ARGV[6])
redis.call('SET', KEYS[6], ARGV[12], 'NX')
local epoch = redis.call('GET', KEYS[6])

if redis.call('EXISTS', KEYS[2]) == 1 then
  -- A re-post of a queued message_id: same keys, same place; new value and expiry.
  local m = redis.call('HMGET', KEYS[2], 'k', 'z', 'n', 's', 'd')
  local queued, wanted = {}, {}
  for _, k in ipairs(cjson.decode(m[1])) do queued[k] = true end
  for i = 13, #ARGV do wanted[ARGV[i]] = true end
  for k in pairs(queued) do if not wanted[k] then return {'conflict'} end end
  for k in pairs(wanted) do if not queued[k] then return {'conflict'} end end
  local growth = (size - tonumber(m[2])) * tonumber(m[3])
  if bytes + growth > max then return {'full'} end
  redis.call('HSET', KEYS[2], 'p', value, 'z', size, 'x', expires, 'e', ARGV[4])
  redis.call('ZADD', KEYS[3], expires, id)
  redis.call('INCRBY', KEYS[4], growth)
  redis.call('PUBLISH', ARGV[9], 'r\n' .. id .. '\n' .. now .. '\n' .. expires .. '\n' .. ARGV[4] .. '\n' .. value)
  return {'replaced', tonumber(m[4]), tonumber(m[5]), expires, 0}
end

if bytes + size * n > max then return {'full'} end
local seq = redis.call('INCR', KEYS[1])
redis.call('HSET', KEYS[2], 's', seq, 'k', ARGV[10], 'p', value, 'z', size, 'd', now, 'e', ARGV[4],
  'x', expires, 'n', n)
redis.call('ZADD', KEYS[3], expires, id)
redis.call('INCRBY', KEYS[4], size * n)
local left = {}
local maxPending, historySize = tonumber(ARGV[5]), tonumber(ARGV[7])
for i = 1, n do
  local key, queue = ARGV[12 + i], KEYS[6 + i]
  redis.call('ZADD', queue, seq, id)
  redis.call('SADD', KEYS[5], key)
  while redis.call('ZCARD', queue) > maxPending do
    -- The key's oldest entry leaves it (WS_MAX_PENDING).
    local oldest = redis.call('ZPOPMIN', queue)[1]
    local hash = ARGV[11] .. 'm:' .. oldest
    redis.call('INCRBY', KEYS[4], -tonumber(redis.call('HGET', hash, 'z')))
    local gone = 0
    if redis.call('HINCRBY', hash, 'n', -1) <= 0 then
      redis.call('DEL', hash)
      redis.call('ZREM', KEYS[3], oldest)
      gone = 1
    end
    left[#left + 1] = 'l\n' .. oldest .. '\nOVERFLOW\n' .. gone .. '\n' .. cjson.encode({key})
  end
  if historySize > 0 then
    local history = KEYS[6 + n + i]
    redis.call('LPUSH', history, seq .. '\n' .. id .. '\n' .. now .. '\n' .. ARGV[4] .. '\n' .. value)
    redis.call('LTRIM', history, 0, historySize - 1)
    redis.call('PEXPIRE', history, ARGV[8])
  end
end
redis.call('PUBLISH', ARGV[9], 'p\n' .. epoch .. '\n' .. seq .. '\n' .. id .. '\n' .. now .. '\n' .. expires .. '\n' .. ARGV[4]
  .. '\n' .. ARGV[10] .. '\n' .. value)
for _, note in ipairs(left) do redis.call('PUBLISH', ARGV[9], note) end
return {'ok', seq, now, expires, #left}
