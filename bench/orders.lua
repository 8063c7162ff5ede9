-- wrk script of the OMS benchmarks: every request a new body and a new Idempotency-Key.
--
--   wrk -t2 -c8 -d20s -s bench/orders.lua http://127.0.0.1:8000/api/v1/orders/ -- \
--       mode=order key=sk_... lines=3 products=200 customers=2000 tag=run1
--
-- mode=order   POST /api/v1/orders/: `lines` different SKUs out of BENCH-0000..`products`-1, a customer out
--              of `customers`, paid by card (tok_ok); `tag` goes into the order's notes, so a run's orders
--              can be found in the database afterwards.
-- mode=insert  POST /api/v1/_bench/insert/: the one-row baseline.
--
-- Pacing: with OMS_WRK_RATE set (requests per second per wrk thread) each thread sends at that rate on a
-- fixed schedule, like wrk2: late sends catch up (at most one second's worth at once) instead of lowering
-- the rate. The variable is read when the script loads, because wrk decides then whether `delay` exists.
--
-- At the end one line "OMS_WRK_JSON {...}" holds the counts by HTTP status and the latency percentiles (µs)
-- for the calling program.

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } oms_timespec;
int clock_gettime(int clock_id, oms_timespec *tp);
]])
local CLOCK_MONOTONIC = 1
local timespec = ffi.new("oms_timespec")

local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, timespec)
  return tonumber(timespec.tv_sec) * 1000 + tonumber(timespec.tv_nsec) / 1e6
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_id", #threads)
  thread:set("statuses", {})
end

local opts = {}
local counter = 0

function init(args)
  for _, arg in ipairs(args) do
    local k, v = string.match(arg, "^([%w_]+)=(.*)$")
    if k then
      opts[k] = v
    end
  end
  opts.mode = opts.mode or "order"
  opts.lines = tonumber(opts.lines or "3")
  opts.products = tonumber(opts.products or "200")
  opts.customers = tonumber(opts.customers or "2000")
  opts.tag = opts.tag or "bench"
  math.randomseed(thread_id * 7919 + os.time())
  wrk.method = "POST"
end

local function pick_skus(count, products)
  local chosen, skus = {}, {}
  while #skus < count do
    local p = math.random(0, products - 1)
    if not chosen[p] then
      chosen[p] = true
      table.insert(skus, string.format('{"sku":"BENCH-%04d","quantity":%d}', p, math.random(1, 3)))
    end
  end
  return table.concat(skus, ",")
end

local function order_body(n)
  local c = math.random(1, opts.customers)
  return string.format(
    '{"customer":{"email":"c%d@bench.example","name":"Bench Buyer %d","phone":""},'
      .. '"lines":[%s],'
      .. '"shipping_address":{"name":"Bench Buyer %d","line1":"%d Main St","city":"Berlin",'
      .. '"postal_code":"10115","country":"DE"},'
      .. '"shipping_method":"standard","payment":{"method":"card","token":"tok_ok"},"notes":"%s"}',
    c, c, pick_skus(opts.lines, opts.products), c, n % 500 + 1, opts.tag
  )
end

function request()
  counter = counter + 1
  -- wrk.format takes these headers instead of wrk.headers, not in addition to them.
  local headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. (opts.key or ""),
    ["Idempotency-Key"] = string.format("%s-%d-%d", opts.tag, thread_id, counter),
  }
  local body
  if opts.mode == "insert" then
    body = string.format('{"note":"%s %d-%d"}', opts.tag, thread_id, counter)
  else
    body = order_body(counter)
  end
  return wrk.format(nil, nil, headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

local per_thread_rate = tonumber(os.getenv("OMS_WRK_RATE") or "")
if per_thread_rate and per_thread_rate > 0 then
  local interval = 1000 / per_thread_rate
  local next_at = nil
  function delay()
    local now = now_ms()
    next_at = math.max(next_at or now, now - 1000)
    local wait = next_at - now
    next_at = next_at + interval
    if wait < 0 then
      return 0
    end
    return math.floor(wait)
  end
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(counts) do
    table.insert(parts, string.format('"%d":%d', status, count))
  end
  local e = summary.errors
  io.write(string.format(
    'OMS_WRK_JSON {"requests":%d,"duration_us":%d,"statuses":{%s},'
      .. '"socket_errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d},'
      .. '"latency_us":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f}}\n',
    summary.requests, summary.duration, table.concat(parts, ","),
    e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean
  ))
end
