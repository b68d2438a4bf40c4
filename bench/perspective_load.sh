#!/usr/bin/env bash
# Perspective AnalyzeComment latency under a fixed offered load, with the same run's ceiling.
#
#   bench/install-load-tools            # wrk, nginx-light (once)
#   TRIBUNE_BIN=build/release/tribune bench/perspective_load.sh [seconds] [connections] [pace_ms]
#
# Offered rate = connections * 1000 / (pace_ms + latency): 20 connections pacing 19 ms offer
# about 1,000 requests/s. wrk (2 threads) sends the same paced requests first to
# `tribune serve` (trained model, 2 io threads, an analyst key without quota) and then to nginx
# answering a static JSON body of the same size: the ceiling of this machine's HTTP stack.
# Prints both, the ratio of their p99, and the machine and load average to copy into
# docs/benchmarks.md. wrk measures from sending each request to its answer; the pacing wait is
# not counted (at ~1 ms answers against 19 ms pacing, there is no queue to hide).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
conns=${2:-20}
pace=${3:-19}
bin=${TRIBUNE_BIN:-build/release/tribune}
[ -x "$bin" ] || { echo "no $bin: build first (scripts/build)"; exit 1; }
command -v wrk >/dev/null && command -v nginx >/dev/null || bench/install-load-tools

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

key=$("$bin" token create --role analyst --name bench --db "$work/t.db" 2>/dev/null)
"$bin" serve --port 0 --db "$work/t.db" --threads 2 --quiet --rate-ip 0 --rate-token 0 \
  > "$work/serve.log" 2>&1 &
tribune_pid=$!
pids+=($tribune_pid)
for _ in $(seq 100); do grep -q "listening on" "$work/serve.log" && break; sleep 0.1; done
port=$(sed -n 's/.*listening on http:\/\/[^:]*:\([0-9]*\)\/.*/\1/p' "$work/serve.log")
url="http://127.0.0.1:$port/v1alpha1/comments:analyze?key=$key"
answer=$(curl -s "$url" -H 'Content-Type: application/json' \
  -d '{"comment":{"text":"What will the bank do about overdraft fees?"},"requestedAttributes":{"TOXICITY":{}},"languages":["en"]}')
echo "$answer" | grep -q summaryScore || { echo "tribune did not answer: $answer"; exit 1; }

# The ceiling: nginx (2 workers) returning the same answer without any work.
nginx_port=$((port + 1))
mkdir -p "$work/nginx"
cat > "$work/nginx/nginx.conf" <<NGINX
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx;
  proxy_temp_path $work/nginx;
  fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx;
  scgi_temp_path $work/nginx;
  server {
    listen 127.0.0.1:$nginx_port;
    location / { default_type application/json; return 200 '$answer'; }
  }
}
NGINX
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)
sleep 0.5

run() {  # label url
  echo "== $1"
  PACE_MS=$pace wrk -t2 -c"$conns" -d"${seconds}s" --latency -s bench/perspective_load.lua "$2" \
    | sed -n '/^requests /,$p' | tee "$work/$1.txt"
}
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
cpu_ticks() { awk '{print $14 + $15}' "/proc/$tribune_pid/stat"; }  # user + system, 1/100 s
ticks0=$(cpu_ticks)
run tribune "$url"
ticks1=$(cpu_ticks)
requests=$(sed -n 's/^requests //p' "$work/tribune.txt")
echo "tribune cpu per request: $(awk -v t=$((ticks1 - ticks0)) -v n="$requests" 'BEGIN { printf "%.0f us", t * 10000 / n }')"
run nginx "http://127.0.0.1:$nginx_port/v1alpha1/comments:analyze"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
t=$(sed -n 's/^p99_ms //p' "$work/tribune.txt")
n=$(sed -n 's/^p99_ms //p' "$work/nginx.txt")
echo "p99 tribune/nginx: $(awk -v t="$t" -v n="$n" 'BEGIN { printf "%.2f", t / n }')"
