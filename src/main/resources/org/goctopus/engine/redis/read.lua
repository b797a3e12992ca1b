-- Reads, for each request of a batch (the backlogs of the sockets that connected while the
-- previous batch was under way, or one catch-up), the queued messages of its keys numbered
-- above a sequence number (a backlog: -inf; a catch-up: the last one seen), each once per
-- request, with the store's epoch and counter read in the same instant.
-- KEYS: 1 epoch, 2 seq.
-- ARGV: 1 key prefix, 2 a fresh epoch, then per request: the lowest seq excluded ("-inf" for
--       all), the number of keys n, the n keys.
-- Returns {epoch, seq, then per request: the number of messages m, then per message: id, seq,
-- keys, value, date, expires, expire text}.
-- Queues and message hashes are named from the prefix as RedisKeys names them.
local prefix = ARGV[1]
redis.call('SET', KEYS[1], ARGV[2], 'NX')
local out = {redis.call('GET', KEYS[1]), tonumber(redis.call('GET', KEYS[2]) or '0')}
local i = 3
while i <= #ARGV do
  local min = ARGV[i] == '-inf' and '-inf' or '(' .. ARGV[i]
  local n = tonumber(ARGV[i + 1])
  local count = #out + 1
  out[count] = 0
  local seen = {}
  for k = i + 2, i + 1 + n do
    for _, id in ipairs(redis.call('ZRANGEBYSCORE', prefix .. 'q:{' .. ARGV[k] .. '}', min, '+inf')) do
      if not seen[id] then
        seen[id] = true
        local m = redis.call('HMGET', prefix .. 'm:' .. id, 's', 'k', 'p', 'd', 'x', 'e')
        if m[1] then
          out[#out + 1] = id
          for j = 1, 6 do out[#out + 1] = m[j] end
          out[count] = out[count] + 1
        end
      end
    end
  end
  i = i + 2 + n
end
return out
