-- Removes the messages whose expiry is due on Redis's own clock, a page at a time;
-- whichever instance's sweep runs it removes (and counts) each one, once.
-- KEYS: 1 expiry index, 2 queued bytes, 3 keys set.
-- ARGV: 1 key prefix, 2 channel, 3 page size.
-- Returns {messages expired, queued bytes, keys holding messages}.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local notes = {}
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))
for _, id in ipairs(ids) do
  local hash = ARGV[1] .. 'm:' .. id
  local m = redis.call('HMGET', hash, 'k', 'z')
  local removed = {}
  if m[1] then
    for _, key in ipairs(cjson.decode(m[1])) do
      local queue = ARGV[1] .. 'q:{' .. key .. '}'
      if redis.call('ZREM', queue, id) == 1 then
        removed[#removed + 1] = key
        redis.call('INCRBY', KEYS[2], -tonumber(m[2]))
        if redis.call('ZCARD', queue) == 0 then redis.call('SREM', KEYS[3], key) end
      end
    end
    redis.call('DEL', hash)
  end
  redis.call('ZREM', KEYS[1], id)
  if #removed > 0 then
    notes[#notes + 1] = 'l\n' .. id .. '\nEXPIRED\n1\n' .. cjson.encode(removed)
  end
end
if #notes > 0 then redis.call('PUBLISH', ARGV[2], table.concat(notes, '\n')) end
return {#ids, tonumber(redis.call('GET', KEYS[2]) or '0'), redis.call('SCARD', KEYS[3])}
