-- decide.lua - wrk script for bench/serve/run.sh: POST /v1/decide with the
-- benchmark companies in turn (one facts document a line of COMPANIES), and
-- the queries of QUERIES (comma-separated; empty: every public decision).
local bodies = {}
local n = 0

local function load()
  local queries = os.getenv("QUERIES") or ""
  local q = ""
  if queries ~= "" then
    local parts = {}
    for name in string.gmatch(queries, "[^,]+") do parts[#parts + 1] = '"' .. name .. '"' end
    q = ',"queries":[' .. table.concat(parts, ",") .. ']'
  end
  for line in io.lines(os.getenv("COMPANIES")) do
    if line ~= "" then
      n = n + 1
      bodies[n] = '{"facts":' .. line .. q .. ',"as_of":"2026-12-01"}'
    end
  end
end

local i = 0
function setup(thread)
  thread:set("offset", math.random(1, 1000))
end

function init(args)
  load()
  i = offset or 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  i = i % n + 1
  return wrk.format(nil, "/v1/decide", nil, bodies[i])
end

local bad = 0
function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end

function done(summary, latency, requests)
  io.write(string.format("RESULT p50_us=%d p90_us=%d p99_us=%d mean_us=%.0f rps=%.0f requests=%d errors=%d non2xx=%d\n",
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean,
    summary.requests / (summary.duration / 1e6), summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
