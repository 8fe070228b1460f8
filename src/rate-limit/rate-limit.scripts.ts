/**
 * Exact window for costly features: one sorted-set member per admitted request, scored by its time.
 * Trim, count, admit if there is room, refresh the expiry, and report when the oldest entry leaves, all
 * in one atomic step, so every instance sharing the Redis shares one budget.
 * KEYS[1] the window; ARGV now (ms), window (ms), limit, a unique member. Returns {admitted, count, resetAt}.
 */
export const EXACT_WINDOW_SCRIPT = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
local admitted = 0
if count < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  count = count + 1
  admitted = 1
end
redis.call('PEXPIRE', KEYS[1], window)
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local resetAt = now + window
if oldest[2] then resetAt = tonumber(oldest[2]) + window end
return {admitted, count, resetAt}
`;

/**
 * Sync of locally counted windows (the broad \`default\`): each instance pushes the requests it admitted
 * since its last sync as ONE member weighted by its count (\`<count>:<instance>:<seq>\`), so the set holds
 * at most window / sync interval members per instance, whatever the limit. \`want\` = 1 also asks for one
 * more request to be admitted exactly (the instance's local share ran out). The same call registers the
 * instance's heartbeat and returns how many instances are alive, which sizes each one's local share.
 * KEYS[1] the instance set, KEYS[2..] windows; ARGV now, instance id, heartbeat ttl, then per window:
 * window ms, limit, pushed, want, member. Returns {instances, then per window: total, admitted, resetAt}.
 */
export const SYNC_WINDOWS_SCRIPT = `
local now = tonumber(ARGV[1])
local ttl = tonumber(ARGV[3])
redis.call('ZADD', KEYS[1], now, ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - ttl)
redis.call('PEXPIRE', KEYS[1], ttl)
local out = { redis.call('ZCARD', KEYS[1]) }
for i = 2, #KEYS do
  local a = 4 + (i - 2) * 5
  local window = tonumber(ARGV[a])
  local pushed = tonumber(ARGV[a + 2])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window)
  local entries = redis.call('ZRANGE', KEYS[i], 0, -1, 'WITHSCORES')
  local total = 0
  local oldest = nil
  for j = 1, #entries, 2 do
    total = total + tonumber(string.match(entries[j], '^(%d+)'))
    if oldest == nil then oldest = tonumber(entries[j + 1]) end
  end
  local admitted = 0
  if tonumber(ARGV[a + 3]) > 0 and total + pushed < tonumber(ARGV[a + 1]) then admitted = 1 end
  local add = pushed + admitted
  if add > 0 then
    redis.call('ZADD', KEYS[i], now, add .. ':' .. ARGV[a + 4])
    redis.call('PEXPIRE', KEYS[i], window)
    total = total + add
    if oldest == nil then oldest = now end
  end
  local resetAt = now
  if oldest ~= nil then resetAt = oldest + window end
  out[#out + 1] = total
  out[#out + 1] = admitted
  out[#out + 1] = resetAt
end
return out
`;
