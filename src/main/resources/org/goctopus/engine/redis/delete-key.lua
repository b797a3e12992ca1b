-- Empties one key's queue, a page at a time so that Redis is never blocked long.
-- KEYS: 1 the key's queue, 2 expiry index, 3 queued bytes, 4 keys set.
-- ARGV: 1 key, 2 key prefix, 3 channel, 4 page size.
-- Returns {entries removed, entries left in the queue}.
local ids = redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[4]) - 1)
local keys = cjson.encode({ARGV[1]})
local notes = {}
for _, id in ipairs(ids) do
  redis.call('ZREM', KEYS[1], id)
  local hash = ARGV[2] .. 'm:' .. id
  redis.call('INCRBY', KEYS[3], -tonumber(redis.call('HGET', hash, 'z')))
  local gone = 0
  if redis.call('HINCRBY', hash, 'n', -1) <= 0 then
    redis.call('DEL', hash)
    redis.call('ZREM', KEYS[2], id)
    gone = 1
  end
  notes[#notes + 1] = 'l\n' .. id .. '\nDELETED\n' .. gone .. '\n' .. keys
end
if #notes > 0 then redis.call('PUBLISH', ARGV[3], table.concat(notes, '\n')) end
local rest = redis.call('ZCARD', KEYS[1])
if rest == 0 then redis.call('SREM', KEYS[4], ARGV[1]) end
return {#ids, rest}
