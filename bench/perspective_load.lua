-- wrk script for bench/perspective_load.sh: Perspective AnalyzeComment requests as Coral Talk
-- sends them, paced so that the whole run offers a fixed rate (each connection waits PACE_MS
-- between its requests), and the latency percentiles at the end.
local texts = {
  "What will the bank do about overdraft fees for students who cannot pay them back this year?",
  "You are a complete idiot and everyone in this comment section knows it. Stop posting.",
  "I disagree with the article: the numbers on page two do not add up, and the author should correct them before the next edition goes out to readers who trust this paper.",
  "Merci pour cet article, mais pourquoi la mairie ne publie-t-elle pas le budget complet ?",
}
local bodies = {}
for i, t in ipairs(texts) do
  bodies[i] = '{"comment":{"text":"' .. t .. '"},"doNotStore":true,' ..
              '"requestedAttributes":{"TOXICITY":{}},"languages":["en"]}'
end
local pace = tonumber(os.getenv("PACE_MS") or "0")
local n = 0

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

function request()
  n = n + 1
  return wrk.format(nil, nil, nil, bodies[(n % #bodies) + 1])
end

function delay()
  return pace
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format("requests %d\nseconds %.2f\nrate_per_s %.1f\nerrors %d\n", summary.requests,
                         seconds, summary.requests / seconds,
                         e.connect + e.read + e.write + e.status + e.timeout))
  for _, p in ipairs({50, 90, 99, 99.9}) do
    io.write(string.format("p%s_ms %.3f\n", tostring(p), latency:percentile(p) / 1000))
  end
  io.write(string.format("max_ms %.3f\n", latency.max / 1000))
end
