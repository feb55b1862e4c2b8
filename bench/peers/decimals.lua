-- decimals.lua - workload 5 in Lua: the loops of bench/rules-decimal with
-- binary floating point (what Lua has), to show what exactness costs.
--   lua5.4 decimals.lua numbers.json TIMES
-- Prints {"loop": {"ns": per element, "value": "..."}, "add": ...}.
local cjson = require "cjson"
local path, times = arg[1], tonumber(arg[2] or "10")
local f = assert(io.open(path))
local doc = cjson.decode(f:read("a") or f:read("*a"))
f:close()
local xs, am = doc.numbers.xs, {}
for i, s in ipairs(doc.numbers.amounts) do am[i] = tonumber(s:sub(1, -5)) end
local n = #xs
local rate, factor, threshold = 0.125, 1.07, 5000.50

local ops = {
  loop = function() local k = 0; for i = 1, n do local x = xs[i]; k = k + 1 end; return k end,
  add = function() local s = 0; for i = 1, n do s = s + xs[i] end; return s end,
  mul = function() local s = 0; for i = 1, n do s = s + xs[i] * factor end; return s end,
  compare = function() local k = 0; for i = 1, n do if xs[i] >= threshold then k = k + 1 end end; return k end,
  money_x_percent = function() local s = 0; for i = 1, n do s = s + am[i] * rate end; return s end,
}
local order = { "loop", "add", "mul", "compare", "money_x_percent" }
local out = {}
for _, name in ipairs(order) do
  local fn, best, v = ops[name], {}, nil
  for r = 1, 5 do
    local t0 = os.clock()
    for _ = 1, times do v = fn() end
    best[r] = (os.clock() - t0) * 1e9 / (times * n)
  end
  table.sort(best)
  out[#out + 1] = string.format('"%s": {"ns": %.3f, "value": "%.17g"}', name, best[3], v)
end
io.write("{", table.concat(out, ", "), "}\n")
