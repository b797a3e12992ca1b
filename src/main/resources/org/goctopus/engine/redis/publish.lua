-- Stores a batch of messages (the publishes that arrived while the previous batch was
-- under way: a group commit), each in the queue of each of its target keys, gives each
-- its place in the acceptance order and publishes its notification, atomically (Redis
-- runs one script at a time, so the order of the scripts, and of the messages in one,
-- is the order of the 202s).
-- KEYS: 1 seq, 2 expiry index, 3 queued bytes, 4 keys set, 5 epoch.
-- ARGV: 1 WS_MAX_PENDING, 2 WS_MAX_QUEUED_BYTES, 3 history size, 4 history ttl ms,
--       5 channel, 6 key prefix, 7 a fresh epoch, then per message: id, value (JSON),
--       lifetime ms, expire text, target keys (JSON), their number n, the n target keys.
-- Returns 5 values per message: "ok", seq, date, expires, dropped
--       | "replaced", seq, date, expires, 0 | "full", 0, 0, 0, 0 | "conflict", 0, 0, 0, 0.
-- Message hashes, queues and histories are named from the prefix as RedisKeys names them.
-- Notifications: one PUBLISH per run, its records one after the other (see RedisEngine).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local maxPending, max = tonumber(ARGV[1]), tonumber(ARGV[2])
local historySize, historyTtl, channel, prefix = tonumber(ARGV[3]), ARGV[4], ARGV[5], ARGV[6]
local bytes = tonumber(redis.call('GET', KEYS[3]) or '0')
redis.call('SET', KEYS[5], ARGV[7], 'NX')
local epoch = redis.call('GET', KEYS[5])
local notes = {}

-- A re-post of a queued message_id: same keys, same place; new value and expiry.
local function replace(id, hash, value, size, expires, expireText, targets)
  local m = redis.call('HMGET', hash, 'k', 'z', 'n', 's', 'd')
  local queued, wanted = {}, {}
  for _, k in ipairs(cjson.decode(m[1])) do queued[k] = true end
  for _, k in ipairs(targets) do wanted[k] = true end
  for k in pairs(queued) do if not wanted[k] then return {'conflict', 0, 0, 0, 0} end end
  for k in pairs(wanted) do if not queued[k] then return {'conflict', 0, 0, 0, 0} end end
  local growth = (size - tonumber(m[2])) * tonumber(m[3])
  if bytes + growth > max then return {'full', 0, 0, 0, 0} end
  redis.call('HSET', hash, 'p', value, 'z', size, 'x', expires, 'e', expireText)
  redis.call('ZADD', KEYS[2], expires, id)
  bytes = redis.call('INCRBY', KEYS[3], growth)
  notes[#notes + 1] = 'r\n' .. id .. '\n' .. now .. '\n' .. expires .. '\n' .. expireText .. '\n' .. value
  return {'replaced', tonumber(m[4]), tonumber(m[5]), expires, 0}
end

local function store(id, hash, value, size, expires, expireText, keysJson, targets)
  local n = #targets
  if bytes + size * n > max then return {'full', 0, 0, 0, 0} end
  local seq = redis.call('INCR', KEYS[1])
  redis.call('HSET', hash, 's', seq, 'k', keysJson, 'p', value, 'z', size, 'd', now, 'e', expireText,
    'x', expires, 'n', n)
  redis.call('ZADD', KEYS[2], expires, id)
  bytes = redis.call('INCRBY', KEYS[3], size * n)
  local overflow = {}
  for _, key in ipairs(targets) do
    local queue = prefix .. 'q:{' .. key .. '}'
    redis.call('ZADD', queue, seq, id)
    redis.call('SADD', KEYS[4], key)
    while redis.call('ZCARD', queue) > maxPending do
      -- The key's oldest entry leaves it (WS_MAX_PENDING).
      local oldest = redis.call('ZPOPMIN', queue)[1]
      local oldHash = prefix .. 'm:' .. oldest
      bytes = redis.call('INCRBY', KEYS[3], -tonumber(redis.call('HGET', oldHash, 'z')))
      local gone = 0
      if redis.call('HINCRBY', oldHash, 'n', -1) <= 0 then
        redis.call('DEL', oldHash)
        redis.call('ZREM', KEYS[2], oldest)
        gone = 1
      end
      overflow[#overflow + 1] = 'l\n' .. oldest .. '\nOVERFLOW\n' .. gone .. '\n' .. cjson.encode({key})
    end
    if historySize > 0 then
      local history = prefix .. 'h:{' .. key .. '}'
      redis.call('LPUSH', history, seq .. '\n' .. id .. '\n' .. now .. '\n' .. expireText .. '\n' .. value)
      redis.call('LTRIM', history, 0, historySize - 1)
      redis.call('PEXPIRE', history, historyTtl)
    end
  end
  notes[#notes + 1] = 'p\n' .. epoch .. '\n' .. seq .. '\n' .. id .. '\n' .. now .. '\n' .. expires
    .. '\n' .. expireText .. '\n' .. keysJson .. '\n' .. value
  for _, note in ipairs(overflow) do notes[#notes + 1] = note end
  return {'ok', seq, now, expires, #overflow}
end

local out = {}
local i = 8
while i <= #ARGV do
  local id, value, expireText, keysJson = ARGV[i], ARGV[i + 1], ARGV[i + 3], ARGV[i + 4]
  local n = tonumber(ARGV[i + 5])
  local targets = {}
  for j = 1, n do targets[j] = ARGV[i + 5 + j] end
  local hash = prefix .. 'm:' .. id
  local expires = now + tonumber(ARGV[i + 2])
  local size = string.len(value)
  local r
  if redis.call('EXISTS', hash) == 1 then
    r = replace(id, hash, value, size, expires, expireText, targets)
  else
    r = store(id, hash, value, size, expires, expireText, keysJson, targets)
  end
  for _, v in ipairs(r) do out[#out + 1] = v end
  i = i + 6 + n
end
if #notes > 0 then redis.call('PUBLISH', channel, table.concat(notes, '\n')) end
return out
