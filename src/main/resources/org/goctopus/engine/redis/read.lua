-- Reads the queued messages of the given keys numbered above a sequence number
-- (a backlog: -inf; a catch-up: the last one seen), each once, with the store's
-- epoch and counter read in the same instant.
-- KEYS: 1 epoch, 2 seq, then each key's queue.
-- ARGV: 1 key prefix, 2 lowest seq excluded ("-inf" for all), 3 a fresh epoch.
-- Returns {epoch, seq, then per message: id, seq, keys, value, date, expires, expire text}.
redis.call('SET', KEYS[1], ARGV[3], 'NX')
local out = {redis.call('GET', KEYS[1]), tonumber(redis.call('GET', KEYS[2]) or '0')}
local seen = {}
local min = ARGV[2] == '-inf' and '-inf' or '(' .. ARGV[2]
for i = 3, #KEYS do
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[i], min, '+inf')) do
    if not seen[id] then
      seen[id] = true
      local m = redis.call('HMGET', ARGV[1] .. 'm:' .. id, 's', 'k', 'p', 'd', 'x', 'e')
      if m[1] then
        out[#out + 1] = id
        for j = 1, 6 do out[#out + 1] = m[j] end
      end
    end
  end
end
return out
