-- A key's recent messages, newest first, with Redis's clock for the age filter.
-- KEYS: 1 the key's history.
-- Returns {now, entry...}; an entry is "seq\nid\ndate\nexpire text\nvalue".
local t = redis.call('TIME')
local out = {tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)}
for _, entry in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do out[#out + 1] = entry end
return out
