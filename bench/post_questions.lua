-- wrk script of bench/ingest: POSTs the questions of a bodies file (one JSON object a line,
-- bench_common.question_bodies) in turn, each with a unique external_id, and prints one JSON
-- line of results at the end.
--   wrk -t1 -c64 -d10s -s bench/post_questions.lua http://127.0.0.1:PORT -- BODIES TOKEN SLUG PREFIX
local threads = {}
local bodies, token, path, prefix
local n = 0

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  bodies = {}
  for line in io.lines(args[1]) do
    local head = line:match("^(.*)}%s*$")
    if head then bodies[#bodies + 1] = head end
  end
  token = args[2]
  path = "/api/v1/events/" .. args[3] .. "/questions"
  prefix = args[4] .. tid .. "-"
end

function request()
  n = n + 1
  local body = bodies[(n - 1) % #bodies + 1] .. ',"source":"wrk","external_id":"' .. prefix .. n .. '"}'
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
  }, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,"connect_errors":%d,"read_errors":%d,' ..
    '"write_errors":%d,"status_errors":%d,"timeouts":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
