#!/usr/bin/env bash
# Throughput of `tribune classify` against the npm `obscenity` matcher on the same
# 20,000 lines, both measured end to end (process start to last line written) in one run.
#
#   bench/classify_throughput.sh                 # binary from build/release
#   TRIBUNE_BIN=build/bench/tribune bench/classify_throughput.sh
#
# Lines: texts of the validation split of ../shared/data (TRIBUNE_DATA_DIR), cut to 280
# code points, repeated to 20,000 lines; without the data, a fixed synthetic mix.
# Needs: node, and `npm ci --prefix bench` (obscenity in bench/node_modules).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${TRIBUNE_BIN:-$root/build/release/tribune}"
model="${TRIBUNE_MODEL:-$root/models/toxicity.tlm}"
lines="${LINES:-20000}"
data_dir="${TRIBUNE_DATA_DIR:-$root/../shared/data}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

[[ -x "$bin" ]] || { echo "no tribune binary at $bin (set TRIBUNE_BIN)" >&2; exit 1; }
[[ -d "$root/bench/node_modules/obscenity" ]] || { echo "run: npm ci --prefix bench" >&2; exit 1; }

if [[ -f "$data_dir/SOURCES.md" ]]; then
  python3 "$root/tools/train/prepare_data.py" "$data_dir" "$work/dataset.tsv" 2>/dev/null
  source_desc="validation texts of ../shared/data"
  python3 - "$work/dataset.tsv" "$lines" > "$work/input.txt" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1], encoding="utf-8")]
texts = [r[6][:280] for r in rows if r[1] == "valid" and r[6].strip()]
n = int(sys.argv[2])
for i in range(n):
    print(texts[i % len(texts)])
PY
else
  source_desc="synthetic mix (no ../shared/data)"
  python3 - "$lines" > "$work/input.txt" <<'PY'
import sys
base = ["What time does the keynote start tomorrow, and will the slides be shared?",
        "You are a complete idiot and nobody wants to hear you talk about fees again.",
        "Could you explain how the new pricing will affect small businesses in the region?",
        "This f*cking panel is a joke, shut up and let someone competent answer.",
        "Quelle heure commence la conférence demain ? Merci pour la présentation.",
        "Those people are vermin and should be driven out of our country."]
for i in range(int(sys.argv[1])):
    print(base[i % len(base)] + " " + str(i))
PY
fi

echo "input: $(wc -l < "$work/input.txt") lines, $(wc -c < "$work/input.txt") bytes ($source_desc)"
echo "tribune: $bin; obscenity: $(node -p 'require("'"$root"'/bench/node_modules/obscenity/package.json").version') on node $(node --version)"

# Alternate the two programs, REPS times each (default 5), and report the median wall time
# and the median CPU time (user + sys of the process and its children): on a shared
# machine wall time is noisy, CPU time less so.
python3 - "$bin" "$model" "$root/bench/obscenity_baseline.mjs" "$work" "${REPS:-5}" <<'PY'
import os, statistics, subprocess, sys, time
bin_, model, mjs, work, reps = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
inp = os.path.join(work, "input.txt")
n = sum(1 for _ in open(inp, "rb"))
cmds = {"tribune classify": [bin_, "classify", "--model", model], "obscenity (node)": ["node", mjs]}
res = {k: [] for k in cmds}
for _ in range(reps):
    for name, cmd in cmds.items():
        out = os.path.join(work, name.split()[0] + ".out")
        with open(inp, "rb") as fi, open(out, "wb") as fo:
            t0 = time.perf_counter()
            p = subprocess.Popen(cmd, stdin=fi, stdout=fo)
            _, status, ru = os.wait4(p.pid, 0)
            wall = time.perf_counter() - t0
        if status != 0:
            sys.exit(f"{name} failed with status {status}")
        lines = sum(1 for _ in open(out, "rb"))
        if lines != n:
            sys.exit(f"{name} wrote {lines} lines for {n} input lines")
        res[name].append((wall, ru.ru_utime + ru.ru_stime))
med = {}
for name, r in res.items():
    w = statistics.median(x[0] for x in r)
    c = statistics.median(x[1] for x in r)
    med[name] = (w, c)
    print(f"{name:17s}: median wall {w:6.3f} s = {n / w:8.0f} lines/s; median CPU {c:6.3f} s = {n / c:8.0f} lines/CPU-s")
tw, tc = med["tribune classify"]
ow, oc = med["obscenity (node)"]
print(f"ratio (wall)     : {ow / tw:.1f}x obscenity's throughput (target >= 5x)")
print(f"ratio (CPU)      : {oc / tc:.1f}x")
PY
