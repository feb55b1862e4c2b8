-- stream.lua - workload 2 (streaming NDJSON) in Lua with lua-cjson.
--   lua5.4 stream.lua < companies.ndjson > decisions.ndjson
-- For each input line writes one result line with the four decisions
-- (null for unknown), the same shape the other streaming peers write.
-- The checksum goes to stderr so the runner can compare implementations.
local dir = arg[0]:match("^(.*)/") or "."
package.path = dir .. "/?.lua;" .. package.path
local D = require "decisions"
local cjson = require "cjson"
local null = cjson.null

local t = D.new_sum()
local out = io.stdout
local lineno = 0
for line in io.stdin:lines() do
  lineno = lineno + 1
  local doc = cjson.decode(line)
  local c = D.record(doc.company or {})
  local e = D.eligible(c)
  local p, a, pend = D.priority(c, e), D.award(c, e), D.pending(c)
  D.add(t, e, p, a, pend)
  local res = {
    line = lineno, id = doc.id,
    decisions = {
      ["voucher.eligible"] = e == nil and null or e,
      ["voucher.priority"] = p == nil and null or p,
      ["voucher.award"] = a == nil and null or string.format("%.0f KRW", a),
      ["support.pending"] = pend == nil and null or pend,
    },
  }
  out:write(cjson.encode(res), "\n")
end
io.stderr:write("checksum ", D.text(t), "\n")
