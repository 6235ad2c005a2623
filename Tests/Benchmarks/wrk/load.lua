-- wrk script for the load benchmark: `wrk … -s load.lua -- MODE FILE`.
--   paths FILE   GET each line of FILE in turn (order status reads, signed notifies)
--   orders FILE  POST /api/orders as JSON for the goods ids in FILE, each request from a new
--                buyer (no cookie) behind a trusted proxy at a random address
-- Every thread counts the answers by status; done() prints them as one STATUS line.

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

local function lines(name)
  local list = {}
  for line in io.lines(name) do
    if #line > 0 then list[#list + 1] = line end
  end
  return list
end

function init(args)
  mode = args[1]
  items = lines(args[2])
  -- Each thread starts at its own place in the list.
  index = (id * 7919) % #items
  counts = {}
  math.randomseed(os.time() + id * 1000)
end

function request()
  index = index % #items + 1
  local item = items[index]
  if mode == "orders" then
    local kind = (math.random(2) == 1) and "wechat" or "alipay"
    local address = string.format("%d.%d.%d.%d", math.random(1, 223), math.random(0, 255), math.random(0, 255),
      math.random(1, 254))
    return wrk.format("POST", "/api/orders",
      { ["Content-Type"] = "application/json", ["X-Forwarded-For"] = address },
      string.format('{"goods":"%s","type":"%s"}', item, kind))
  end
  return wrk.format("GET", item)
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("counts")) do
      total[status] = (total[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(total) do parts[#parts + 1] = string.format("%d=%d", status, count) end
  io.write("STATUS " .. table.concat(parts, " ") .. "\n")
  io.write(string.format("P99_US %d\n", latency:percentile(99)))
end
