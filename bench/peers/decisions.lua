-- decisions.lua - the benchmark's decisions written by hand in Lua, as a
-- programmer would who picked Lua instead of Edict: eligible, priority,
-- award and the pending field-support steps, over plain tables with named
-- fields.  Missing facts are nil and flow through as nil (unknown), with
-- the same three-valued logic as the rules (false and unknown = false), so
-- the peers compute exactly what Edict computes.  Numbers are Lua numbers:
-- integers for KRW amounts (floats in LuaJIT), floats for percentages.
-- Shared by eval.lua (in memory) and stream.lua (NDJSON); runs on Lua 5.4
-- and LuaJIT.

local M = {}

local CAP = 50000000
local PRIORITY_SHARE = 10

-- "14.5%" -> 14.5 ; "80000000 KRW" -> 80000000 ; absent -> nil
function M.pct(s)
  if s == nil then return nil end
  return tonumber(s:sub(1, -2))
end
function M.krw(s)
  if s == nil then return nil end
  return tonumber(s:sub(1, -5))
end

-- One JSON company object (as decoded) -> the in-memory record.
function M.record(c)
  return {
    size = c.size,
    us_export_share = M.pct(c.us_export_share),
    voucher_requested = M.krw(c.voucher_requested),
    voucher_received = M.krw(c.voucher_received) or 0,
    consulting_done = c.consulting_done,
    finance_arranged = c.finance_arranged,
    logistics_arranged = c.logistics_arranged,
    high_potential_selected = c.high_potential_selected,
  }
end

function M.eligible(c)
  local s = c.size
  if s == nil then return nil end
  return s == "sme" or s == "midsize"
end

function M.priority(c, eligible)
  if eligible == false then return false end
  local share = c.us_export_share
  if share == nil then return nil end
  local ge = share >= PRIORITY_SHARE
  if eligible == nil then
    if ge then return nil end
    return false
  end
  return ge
end

function M.award(c, eligible)
  if eligible == nil then return nil end
  if not eligible then return 0 end
  local req = c.voucher_requested
  if req == nil then return nil end
  local left = CAP - c.voucher_received
  if left < 0 then left = 0 end
  if req < left then return req end
  return left
end

-- consulting (task 6), then finance (11), then logistics (12): the ones not
-- done, in order; unknown when any of the three facts is missing.
function M.pending(c)
  local a, b, d = c.consulting_done, c.finance_arranged, c.logistics_arranged
  if a == nil or b == nil or d == nil then return nil end
  local out = {}
  if not a then out[#out + 1] = 6 end
  if not b then out[#out + 1] = 11 end
  if not d then out[#out + 1] = 12 end
  return out
end

-- The checksum every implementation prints, to prove they agree.
function M.new_sum()
  return { n = 0, et = 0, ef = 0, eu = 0, pt = 0, pf = 0, pu = 0, award = 0, au = 0, pendu = 0, pendn = 0, pendw = 0 }
end

function M.add(t, e, p, a, pend)
  t.n = t.n + 1
  if e == nil then t.eu = t.eu + 1 elseif e then t.et = t.et + 1 else t.ef = t.ef + 1 end
  if p == nil then t.pu = t.pu + 1 elseif p then t.pt = t.pt + 1 else t.pf = t.pf + 1 end
  if a == nil then t.au = t.au + 1 else t.award = t.award + a end
  if pend == nil then
    t.pendu = t.pendu + 1
  else
    for k = 1, #pend do t.pendw = t.pendw + k * pend[k] end
    t.pendn = t.pendn + #pend
  end
end

function M.text(t)
  return string.format("n=%d eligible=%d/%d/%d priority=%d/%d/%d award=%.0f/%d pending=%d/%d/%d",
    t.n, t.et, t.ef, t.eu, t.pt, t.pf, t.pu, t.award, t.au, t.pendn, t.pendw, t.pendu)
end

return M
