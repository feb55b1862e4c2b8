-- eval.lua - workload 1 (rule evaluation in memory) in Lua.
--   lua5.4 eval.lua DATA.ndjson REPS      (also luajit, luajit -joff)
-- Loads every company into a Lua table with named fields (not timed), then
-- REPS times decides eligible, priority, award and pending for each one,
-- timing each pass with os.clock (process CPU time).  Prints one JSON line:
-- {"reps_ns": [...per record...], "checksum": "..."}.
local dir = arg[0]:match("^(.*)/") or "."
package.path = dir .. "/?.lua;" .. package.path
local D = require "decisions"
local cjson = require "cjson"

local path, reps = arg[1], tonumber(arg[2] or "3")
local recs = {}
for line in io.lines(path) do
  recs[#recs + 1] = D.record(cjson.decode(line).company)
end
local n = #recs

local eligible, priority, award, pending = D.eligible, D.priority, D.award, D.pending
local times, sum = {}, nil
for r = 1, reps do
  collectgarbage()
  -- the checksum in locals, so that checking costs Lua as little as it can
  local et, ef, eu, pt, pf, pu, aw, au, pendn, pendw, pendu = 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
  local t0 = os.clock()
  for i = 1, n do
    local c = recs[i]
    local e = eligible(c)
    local p, a, pend = priority(c, e), award(c, e), pending(c)
    if e == nil then eu = eu + 1 elseif e then et = et + 1 else ef = ef + 1 end
    if p == nil then pu = pu + 1 elseif p then pt = pt + 1 else pf = pf + 1 end
    if a == nil then au = au + 1 else aw = aw + a end
    if pend == nil then
      pendu = pendu + 1
    else
      for k = 1, #pend do pendw = pendw + k * pend[k] end
      pendn = pendn + #pend
    end
  end
  local t1 = os.clock()
  times[#times + 1] = string.format("%.3f", (t1 - t0) * 1e9 / n)
  sum = D.text({ n = n, et = et, ef = ef, eu = eu, pt = pt, pf = pf, pu = pu, award = aw, au = au,
    pendn = pendn, pendw = pendw, pendu = pendu })
end
io.write('{"reps_ns": [', table.concat(times, ", "), '], "checksum": "', sum, '"}\n')
