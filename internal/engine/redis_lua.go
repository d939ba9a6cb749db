package engine

import (
	"fmt"

	"github.com/redis/go-redis/v9"
)

// Redis values (all under one key per session, prefix{hash}):
//
//	record:    {"v": 7, "created": 1700000000.5, "accessed": 1700000010.0, "data": {...}}
//	forward:   {"fwd": "<hash of the new id>"}      (after RenewID, for renew_grace)
//	renewed:   {"renewed": "<hash of the new id>"}  (after RenewID with renew_grace 0, for tombstoneTTL)
//	tombstone: {"tombstone": 1}                     (after Invalidate, for tombstoneTTL)
//
// A forward is read-only: Load serves the renewed session through it, but
// nothing is ever written through it (saves reply 2 and are dropped), so
// a replaced (possibly fixated) id cannot change the renewed session.
// "renewed" is not even readable; both still lead Invalidate to the
// renewed session.
//
// The scripts below recognise a record by its `{"v": ` prefix, so they
// never extend or overwrite a forward or a tombstone.

// luaJSON splits a JSON object into raw keys and values without decoding
// them (Redis' cjson would round floats to 14 digits and reorder keys).
// Keys stay in their encoded form: both the stored data and the keys
// sent by Save are written by pyjson.AppendString, so equal keys have
// equal encodings.
const luaJSON = `
local function skipstr(s, i)
  i = i + 1
  while true do
    local j = string.find(s, '[\\"]', i)
    if not j then return #s + 1 end
    if string.byte(s, j) == 92 then i = j + 2 else return j + 1 end
  end
end
local function skipval(s, i)
  local c = string.byte(s, i)
  if c == 34 then return skipstr(s, i) end
  if c == 123 or c == 91 then
    local depth = 0
    while i <= #s do
      local j = string.find(s, '[{}%[%]"]', i)
      if not j then return #s + 1 end
      local b = string.byte(s, j)
      if b == 34 then
        i = skipstr(s, j)
      else
        if b == 123 or b == 91 then depth = depth + 1 else depth = depth - 1 end
        i = j + 1
        if depth == 0 then return i end
      end
    end
    return i
  end
  return string.find(s, '[,}%]%s]', i) or #s + 1
end
local function ws(s, i)
  return string.find(s, '[^ \t\r\n]', i) or #s + 1
end
-- pair matches one member in the form Go and Python write it ("k": v),
-- when the key has no escapes and the value is a string without escapes,
-- a number or literal, or a flat array of those: one pattern call
-- instead of a scan per character class. It returns the key, the value
-- and the position after it, or nil for the general scan.
local function pair(s, i)
  local _, e, k, v = string.find(s, '^("[^"\\]*"): ("[^"\\]*")', i)
  if e then return k, v, e + 1 end
  _, e, k, v = string.find(s, '^("[^"\\]*"): ([%w%.%+%-]+)', i)
  if e then return k, v, e + 1 end
  _, e, k, v = string.find(s, '^("[^"\\]*"): (%[[^%[%]{}\\]*%])', i)
  -- an even number of quotes: the closing bracket is not inside a string
  if e and select(2, string.gsub(v, '"', '')) % 2 == 0 then return k, v, e + 1 end
  return nil
end
local function parse(s)
  local keys, vals = {}, {}
  local i = ws(s, 1)
  if string.byte(s, i) ~= 123 then return nil end
  i = ws(s, i + 1)
  if string.byte(s, i) == 125 then return keys, vals end
  while true do
    local k, v, j = pair(s, i)
    if not k then
      if string.byte(s, i) ~= 34 then return nil end
      j = skipstr(s, i)
      k = string.sub(s, i, j - 1)
      i = ws(s, j)
      if string.byte(s, i) ~= 58 then return nil end
      i = ws(s, i + 1)
      j = skipval(s, i)
      v = string.sub(s, i, j - 1)
    end
    if vals[k] == nil then keys[#keys + 1] = k end
    vals[k] = v
    local b = string.byte(s, j)
    if b == 44 and string.byte(s, j + 1) == 32 then
      i = j + 2
    else
      i = ws(s, j)
      b = string.byte(s, i)
      if b == 125 then return keys, vals end
      if b ~= 44 then return nil end
      i = ws(s, i + 1)
    end
  end
end
-- appended is the stored array old with the items of the array op
-- ("a"..array) appended, or the array alone when old is none.
local function appended(old, op)
  if old and string.find(old, '^%[.*%]$') and string.find(old, '^%[%s*[^%s%]]') then
    return string.sub(old, 1, -2) .. ', ' .. string.sub(op, 3)
  end
  return string.sub(op, 2)
end
-- merge applies the touched keys (pairs from argv[from]: encoded key,
-- then "d" for deleted, "s"..value for set or "a"..array for append) to
-- the stored data, and
-- returns the result and its values by encoded key.
local function merge(data, argv, from)
  local keys, vals = parse(data)
  if not keys then keys, vals = {}, {} end
  for n = from, #argv, 2 do
    local k, op = argv[n], argv[n + 1]
    if op == 'd' then
      vals[k] = nil
    elseif string.byte(op) == 97 then
      -- "a"..array: append its items to the stored array (a flash queue),
      -- or start it afresh when there is none (spliceList in Go)
      if vals[k] == nil then keys[#keys + 1] = k end
      vals[k] = appended(vals[k], op)
    else
      if vals[k] == nil then keys[#keys + 1] = k end
      vals[k] = string.sub(op, 2)
    end
  end
  local out, seen = {}, {}
  for _, k in ipairs(keys) do
    if vals[k] ~= nil and not seen[k] then
      seen[k] = true
      out[#out + 1] = k .. ': ' .. vals[k]
    end
  end
  return '{' .. table.concat(out, ', ') .. '}', vals
end
-- member finds the member k (encoded) of flat data in d from init: the
-- start of '"k": ', and the start and end (exclusive) of its value. In
-- data without nested objects every '"k": ' is a top-level member:
-- inside a string the quotes would be escaped.
local function member(d, k, init)
  -- Searching without the opening quote: JSON has quotes everywhere,
  -- and each false start of a plain search costs a comparison.
  local needle = string.sub(k, 2) .. ': '
  while true do
    local s, e = string.find(d, needle, init, true)
    if not s then return nil end
    if string.byte(d, s - 1) == 34 then return s - 1, e + 1, skipval(d, e + 1) end
    init = s + 1
  end
end
-- patch merges the changes (argv[from…], as for merge) into the stored
-- data, which runs from start to the last character but one of cur, and
-- returns the new data as pieces to concatenate. Data without a nested
-- object, changed by values without one, is patched by plain searches
-- (C speed), one change copying no part of the record but into the new
-- one; anything else takes merge's full scan, which costs far more
-- Redis CPU per byte. (Lua strings of a record's size are costly too:
-- each one feeds the GC.)
local function patch(cur, start, argv, from)
  local simple = not string.find(cur, '{', start + 1, true)
  for n = from + 1, #argv, 2 do
    if string.find(argv[n], '{', 1, true) then simple = false end
  end
  if not simple then return {(merge(string.sub(cur, start, -2), argv, from))} end
  if #argv == from + 1 and argv[from + 1] ~= 'd' then
    local k, op = argv[from], argv[from + 1]
    local s, vs, ve = member(cur, k, start)
    if s then
      local v = string.sub(op, 2)
      if string.byte(op) == 97 then v = appended(string.sub(cur, vs, ve - 1), op) end
      return {string.sub(cur, start, vs - 1), v, string.sub(cur, ve, -2)}
    end
    if string.sub(cur, start, -2) == '{}' then return {'{', k, ': ', appended(nil, op), '}'} end
    return {string.sub(cur, start, -3), ', ', k, ': ', appended(nil, op), '}'}
  end
  local d = string.sub(cur, start, -2)
  for n = from, #argv, 2 do
    local k, op = argv[n], argv[n + 1]
    local s, vs, ve = member(d, k, 1)
    if op == 'd' then
      if s and string.sub(d, ve, ve + 1) == ', ' then
        d = string.sub(d, 1, s - 1) .. string.sub(d, ve + 2)
      elseif s and string.sub(d, s - 2, s - 1) == ', ' then
        d = string.sub(d, 1, s - 3) .. string.sub(d, ve)
      elseif s then
        d = string.sub(d, 1, s - 1) .. string.sub(d, ve)
      end
    else
      local v = string.sub(op, 2)
      if string.byte(op) == 97 then v = appended(s and string.sub(d, vs, ve - 1), op) end
      if s then
        d = string.sub(d, 1, vs - 1) .. v .. string.sub(d, ve)
      elseif d == '{}' then
        d = '{' .. k .. ': ' .. v .. '}'
      else
        d = string.sub(d, 1, -2) .. ', ' .. k .. ': ' .. v .. '}'
      end
    end
  end
  return {d}
end
`

// Reply codes of the scripts below. The Lua source gets them as the
// locals luaCodes declares, so Go and Lua share one definition.
const (
	// saveScript
	saveGone    = 0 // gone (expired, tombstone, garbage): nothing written
	saveSaved   = 1 // saved: {saveSaved, new version}
	saveRenewed = 2 // forwards to a renewed id: nothing written
	saveRenewTo = 3 // renew mode: {saveRenewTo, record, version}, nothing written
	saveEmptied = 4 // the data became empty: the record was deleted
	// blindScript's {saveGone, why}: why a Load would not have used
	// the stored record (goneReasons)
	goneNotFound    = 1
	goneInvalidated = 2
	goneRenewed     = 3
	goneMalformed   = 4
	goneFuture      = 5
	goneLifetime    = 6
	goneExpired     = 7
	// tombstoneScript
	tombDone    = 1 // {tombDone, live}: the key holds a tombstone
	tombForward = 2 // {tombForward, hash}: follow the forward first
	// forwardScript
	fwdGone    = 0 // gone (expired, tombstoned, garbage)
	fwdDone    = 1 // the old record now forwards
	fwdWritten = 2 // written since: redo the renew
	fwdRenewed = 3 // already renewed by another request
)

// luaCodes declares the reply codes as Lua locals.
var luaCodes = fmt.Sprintf(`
local SAVE_GONE, SAVE_SAVED, SAVE_RENEWED, SAVE_RENEW_TO, SAVE_EMPTIED = %d, %d, %d, %d, %d
local GONE_NOT_FOUND, GONE_INVALIDATED, GONE_RENEWED, GONE_MALFORMED, GONE_FUTURE, GONE_LIFETIME, GONE_EXPIRED = %d, %d, %d, %d, %d, %d, %d
local TOMB_DONE, TOMB_FORWARD = %d, %d
local FWD_GONE, FWD_DONE, FWD_WRITTEN, FWD_RENEWED = %d, %d, %d, %d
`, saveGone, saveSaved, saveRenewed, saveRenewTo, saveEmptied,
	goneNotFound, goneInvalidated, goneRenewed, goneMalformed, goneFuture, goneLifetime, goneExpired,
	tombDone, tombForward,
	fwdGone, fwdDone, fwdWritten, fwdRenewed)

// saveScript writes a loaded session back in one round trip.
//
//	KEYS[1]  the session key
//	ARGV[1]  the record prefix Load saw, `{"v": N, ` ("": unknown, always merge)
//	ARGV[2]  "full" (the state was cleared: replace all) or "merge"
//	ARGV[3]  accessed (JSON number)
//	ARGV[4]  TTL in milliseconds ("0": none)
//	ARGV[5]  the whole record as it is stored when the version did not
//	         move: {"v": N+1, "created": …, "accessed": …, "data": {…}}
//	ARGV[6]  renew: hash of the new id ("" when not renewing)
//	ARGV[7…] touched keys: encoded key, then "d" or "s"..value
//
// Replies: {SAVE_GONE} the session is gone (expired, invalidated: a
// tombstone, or garbage): nothing is written, so a slow request cannot
// resurrect a logged-out session (boj/redistore#2); {SAVE_SAVED, version}
// saved; {SAVE_RENEWED, hash} the key forwards to a renewed id (or holds
// a "renewed" marker): nothing is written; {SAVE_RENEW_TO, record,
// version} renew: nothing is written, record is what the caller stores
// under the new id before forwardScript replaces the old record of that
// version by a forward; {SAVE_EMPTIED} the data became empty (Clear, or
// the last key deleted): the record was deleted, as a new session that
// never held data has none.
//
// When the stored version is the one Load saw, nobody wrote in between
// and ARGV[5] is stored as is: the fast path reads only the record's
// first bytes and never copies the stored record into Lua. Otherwise
// only this request's touched keys are merged into what is stored now,
// so concurrent requests of one session do not lose each other's updates.
var saveScript = redis.NewScript(luaCodes + luaJSON + saveBody)

const saveBody = `
-- finish stores val, version v + 1 of the record (or hands it back to renew).
local function finish(val, v)
  if ARGV[6] ~= '' then return {SAVE_RENEW_TO, val, v} end
  local ttl = tonumber(ARGV[4])
  if ttl > 0 then
    redis.call('SET', KEYS[1], val, 'PX', ttl)
  else
    redis.call('SET', KEYS[1], val)
  end
  return {SAVE_SAVED, tonumber(v) + 1}
end
local seen = ARGV[1]
if seen ~= '' and redis.call('GETRANGE', KEYS[1], 0, #seen - 1) == seen then
  if ARGV[6] == '' and string.sub(ARGV[5], -11) == '"data": {}}' then
    redis.call('DEL', KEYS[1])
    return {SAVE_EMPTIED}
  end
  return finish(ARGV[5], string.match(seen, '^{"v": (%d+), $'))
end
local cur = redis.call('GET', KEYS[1])
if not cur then return {SAVE_GONE} end
-- Only the header is captured; the data is cut out when merging.
local _, hdr, v, created = string.find(cur, '^{"v": (%d+), "created": ([^,]+), "accessed": [^,]+, "data": ')
if not v then
  local fwd = string.match(cur, '^{"fwd": "([0-9a-f]+)"}$') or string.match(cur, '^{"renewed": "([0-9a-f]+)"}$')
  if fwd then return {SAVE_RENEWED, fwd} end
  return {SAVE_GONE}
end
local nd
if ARGV[2] == 'full' then
  local _, e = string.find(ARGV[5], ', "data": ', 1, true)
  nd = string.sub(ARGV[5], e + 1, -2)
else
  nd = table.concat(patch(cur, hdr + 1, ARGV, 7))
end
if nd == '{}' and ARGV[6] == '' then
  redis.call('DEL', KEYS[1])
  return {SAVE_EMPTIED}
end
return finish('{"v": ' .. string.format('%d', tonumber(v) + 1) .. ', "created": ' .. created ..
  ', "accessed": ' .. ARGV[3] .. ', "data": ' .. nd .. '}', v)
`

// touchScript refreshes the TTL of a record without rewriting it, the
// Redis side of Pyramid's reissue (pyramid_session_redis' timeout_trigger
// idea): a PEXPIRE that never extends a forward or a tombstone.
//
//	KEYS[1] the session key; ARGV[1] TTL in milliseconds
//
// Reply: 1 refreshed, 0 not a record (gone).
var touchScript = redis.NewScript(`
if redis.call('GETRANGE', KEYS[1], 0, 5) == '{"v": ' then
  return redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return 0
`)

// tombstoneScript invalidates one key, unless it forwards (after RenewID).
//
//	KEYS[1] the session key; ARGV[1] tombstone TTL in milliseconds;
//	ARGV[2] (optional) the encoded user binding key (UserKey)
//
// Replies: {TOMB_DONE, live, user} the key now holds a tombstone (live
// is 1 when it held a session record; user is the raw value it held
// under ARGV[2], "" without); {TOMB_FORWARD, hash} the key forwards (or holds a
// "renewed" marker) to hash: nothing was written, the caller tombstones
// the target first, then this key.
var tombstoneScript = redis.NewScript(luaCodes + luaJSON + `
local cur = redis.call('GET', KEYS[1])
local live, user = 0, ''
if cur then
  local fwd = string.match(cur, '^{"fwd": "([0-9a-f]+)"}$') or string.match(cur, '^{"renewed": "([0-9a-f]+)"}$')
  if fwd then return {TOMB_FORWARD, fwd} end
  local _, hdr = string.find(cur, '^{"v": %d+, "created": [^,]+, "accessed": [^,]+, "data": ')
  if hdr then
    live = 1
    if ARGV[2] then
      local _, vals = parse(string.sub(cur, hdr + 1, -2))
      if vals and vals[ARGV[2]] then user = vals[ARGV[2]] end
    end
  end
end
redis.call('SET', KEYS[1], '` + tombstoneValue + `', 'PX', ARGV[1])
return {TOMB_DONE, live, user}
`)

// forwardScript is renew's last step, once the renewed record is stored
// under the new id: the old record becomes a forward to it.
//
//	KEYS[1] the old session key
//	ARGV[1] the record version the renewed record was built from
//	ARGV[2] hash of the new id
//	ARGV[3] forward lifetime in milliseconds (0: a "renewed" marker instead)
//	ARGV[4] the marker's lifetime in milliseconds
//
// Replies: FWD_DONE done; FWD_WRITTEN the record was written since
// (redo the renew); FWD_GONE gone (expired, tombstoned, garbage);
// FWD_RENEWED already renewed by another request. Only on FWD_DONE is
// anything written.
var forwardScript = redis.NewScript(luaCodes + `
local cur = redis.call('GET', KEYS[1])
if not cur then return FWD_GONE end
local v = string.match(cur, '^{"v": (%d+), ')
if not v then
  if string.match(cur, '^{"fwd": "') or string.match(cur, '^{"renewed": "') then return FWD_RENEWED end
  return FWD_GONE
end
if v ~= ARGV[1] then return FWD_WRITTEN end
local grace = tonumber(ARGV[3])
if grace > 0 then
  redis.call('SET', KEYS[1], '{"fwd": "' .. ARGV[2] .. '"}', 'PX', grace)
else
  redis.call('SET', KEYS[1], '{"renewed": "' .. ARGV[2] .. '"}', 'PX', ARGV[4])
end
return FWD_DONE
`)

// reservedPrefix starts every key the engine keeps in a session's data
// (MaxAgeKey, UserKey).
const reservedPrefix = "_sessconf_"

// blindScript saves a write-only request's changes into the stored
// record without a prior load (see redis_blind.go), checking what Load
// would have checked.
//
//	KEYS[1]  the session key
//	ARGV[1]  now (Unix seconds, JSON number)
//	ARGV[2]  absolute timeout in seconds ("0": none)
//	ARGV[3]  idle timeout in milliseconds ("0": none)
//	ARGV[4]  accessed (JSON number)
//	ARGV[5]  allowed clock skew in seconds
//	ARGV[6]  the encoded key of a session's own max age (MaxAgeKey)
//	ARGV[7]  the largest such max age, in seconds
//	ARGV[8]  the encoded user binding key (UserKey)
//	ARGV[9…] touched keys: encoded key, then "d" or "s"..value
//
// Replies: {SAVE_GONE, why} no usable session (why: GONE_NOT_FOUND,
// GONE_INVALIDATED for a tombstone, GONE_RENEWED for the "renewed"
// marker, GONE_MALFORMED, GONE_FUTURE for times in the future,
// GONE_LIFETIME (the record is deleted, as Load deletes it) or
// GONE_EXPIRED for the idle timeout): nothing is written;
// {SAVE_RENEWED, hash} the key forwards (renew_grace): nothing is
// written; {SAVE_SAVED, version, user, ttl} merged and stored with
// TTL ttl milliseconds (0: none), user is the raw user binding ("" for
// none); {SAVE_EMPTIED, 0, "", 0} the data became empty: deleted.
var blindScript = redis.NewScript(luaCodes + luaJSON + blindSrc)

const blindSrc = `
local cur = redis.call('GET', KEYS[1])
if not cur then return {SAVE_GONE, GONE_NOT_FOUND} end
local _, hdr, v, created, accessed = string.find(cur, '^{"v": (%d+), "created": ([^,]+), "accessed": ([^,]+), "data": ')
if not v then
  local fwd = string.match(cur, '^{"fwd": "([0-9a-f]+)"}$')
  if fwd then return {SAVE_RENEWED, fwd} end
  if cur == '` + tombstoneValue + `' then return {SAVE_GONE, GONE_INVALIDATED} end
  if string.find(cur, '^{"renewed": "[0-9a-f]+"}$') then return {SAVE_GONE, GONE_RENEWED} end
  return {SAVE_GONE, GONE_MALFORMED}
end
local now, c, a, skew = tonumber(ARGV[1]), tonumber(created), tonumber(accessed), tonumber(ARGV[5])
if not c or not a then return {SAVE_GONE, GONE_MALFORMED} end
if c > now + skew or a > now + skew then return {SAVE_GONE, GONE_FUTURE} end
local absolute = tonumber(ARGV[2])
if absolute > 0 and now - c > absolute then
  redis.call('DEL', KEYS[1])
  return {SAVE_GONE, GONE_LIFETIME}
end
local parts = patch(cur, hdr + 1, ARGV, 9)
local own, user
-- Both keys start with the reserved prefix: most sessions hold neither.
if string.find(cur, '` + reservedPrefix + `', hdr + 1, true) or #ARGV > 10 or string.find(ARGV[9], '` + reservedPrefix + `', 1, true) then
  local d = table.concat(parts)
  if string.find(d, '{', 2, true) then
    -- nested objects: only a full scan tells top-level members apart
    local _, vals = parse(d)
    if vals then own, user = vals[ARGV[6]], vals[ARGV[8]] end
  else
    local s, vs, ve = member(d, ARGV[6], 1)
    if s then own = string.sub(d, vs, ve - 1) end
    s, vs, ve = member(d, ARGV[8], 1)
    if s then user = string.sub(d, vs, ve - 1) end
  end
end
-- The idle timeout is the session's own max age when that is longer.
local ttl = tonumber(ARGV[3])
own = tonumber(own or '')
if ttl > 0 and own and own == math.floor(own) and own > 0 and own <= tonumber(ARGV[7]) and own * 1000 > ttl then
  ttl = own * 1000
end
-- A record kept without a TTL is judged by its stored access time.
if ttl > 0 and now - a > ttl / 1000 and redis.call('PTTL', KEYS[1]) < 0 then return {SAVE_GONE, GONE_EXPIRED} end
if #parts == 1 and parts[1] == '{}' then
  redis.call('DEL', KEYS[1])
  return {SAVE_EMPTIED, 0, '', 0}
end
local nv = tonumber(v) + 1
local out = {'{"v": ', string.format('%d', nv), ', "created": ', created, ', "accessed": ', ARGV[4], ', "data": '}
for _, p in ipairs(parts) do out[#out + 1] = p end
out[#out + 1] = '}'
local val = table.concat(out)
if ttl > 0 then
  redis.call('SET', KEYS[1], val, 'PX', ttl)
else
  redis.call('SET', KEYS[1], val)
end
return {SAVE_SAVED, nv, user or '', ttl}
`
