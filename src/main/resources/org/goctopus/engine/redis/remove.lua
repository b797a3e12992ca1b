-- Removes a batch of messages (ACKs, or DELETE of one message: those that arrived while
-- the previous batch was under way), each from the queues of the keys given, keeps the
-- byte count and the keys set right, deletes a message once no queue holds it, and
-- publishes what left (one notification per run).
-- KEYS: 1 expiry index, 2 queued bytes, 3 keys set.
-- ARGV: 1 key prefix, 2 channel, then per removal: id, why (ACKNOWLEDGED, DELETED), the
--       number of keys n, the n keys.
-- Returns per removal how many queue entries went.
-- Message hashes and queues are named from the prefix as RedisKeys names them.
local prefix, channel = ARGV[1], ARGV[2]
local notes = {}

local function remove(id, why, keys)
  local hash = prefix .. 'm:' .. id
  if redis.call('EXISTS', hash) == 0 then return 0 end
  local removed = {}
  for _, key in ipairs(keys) do
    local queue = prefix .. 'q:{' .. key .. '}'
    if redis.call('ZREM', queue, id) == 1 then
      removed[#removed + 1] = key
      if redis.call('ZCARD', queue) == 0 then redis.call('SREM', KEYS[3], key) end
    end
  end
  if #removed == 0 then return 0 end
  redis.call('INCRBY', KEYS[2], -tonumber(redis.call('HGET', hash, 'z')) * #removed)
  local gone = 0
  if redis.call('HINCRBY', hash, 'n', -#removed) <= 0 then
    redis.call('DEL', hash)
    redis.call('ZREM', KEYS[1], id)
    gone = 1
  end
  notes[#notes + 1] = 'l\n' .. id .. '\n' .. why .. '\n' .. gone .. '\n' .. cjson.encode(removed)
  return #removed
end

local out = {}
local i = 3
while i <= #ARGV do
  local n = tonumber(ARGV[i + 2])
  local keys = {}
  for j = 1, n do keys[j] = ARGV[i + 2 + j] end
  out[#out + 1] = remove(ARGV[i], ARGV[i + 1], keys)
  i = i + 3 + n
end
if #notes > 0 then redis.call('PUBLISH', channel, table.concat(notes, '\n')) end
return out
