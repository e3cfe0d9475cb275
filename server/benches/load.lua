-- wrk script of the load benchmark: each request takes the next line of the file given after
-- `--` ("cookie<TAB>form body"), GET or POST (WRK_METHOD), optionally paced (WRK_DELAY_MS per
-- connection); prints one RESULT line with requests, req/s, p50/p95/p99 (ms), socket errors
-- and answers other than the expected status (WRK_EXPECT, 200).
local lines, i = {}, 0
local method = os.getenv("WRK_METHOD") or "GET"
local origin = os.getenv("WRK_ORIGIN") or ""
local pace = tonumber(os.getenv("WRK_DELAY_MS") or "0")
local expect = tonumber(os.getenv("WRK_EXPECT") or "200")
local threads = {}
unexpected = 0

setup = function(thread)
  threads[#threads + 1] = thread
end

response = function(status, headers, body)
  if status ~= expect then unexpected = unexpected + 1 end
end

init = function(args)
  if args[1] then
    for line in io.lines(args[1]) do lines[#lines + 1] = line end
  end
end

request = function()
  if #lines == 0 then return wrk.format(method, nil) end
  i = i % #lines + 1
  local cookie, body = lines[i]:match("^([^\t]*)\t?(.*)$")
  local headers = { ["Cookie"] = cookie }
  if method == "POST" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    headers["Origin"] = origin
    return wrk.format("POST", nil, headers, body)
  end
  return wrk.format("GET", nil, headers)
end

if pace > 0 then
  delay = function() return pace end
end

done = function(summary, latency, requests)
  local e = summary.errors
  local wrong = 0
  for _, thread in ipairs(threads) do wrong = wrong + thread:get("unexpected") end
  io.write(string.format("RESULT %d %.1f %.2f %.2f %.2f %d %d\n", summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout, wrong))
end
