"""Shared pieces of the load benchmarks (bench/ingest, bench/fanout, bench/flood_to_dashboard,
bench/memory_growth): the programs they run, the request bodies, a process's CPU and memory,
and the table they print. Python standard library only.
"""
import datetime
import json
import os
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CACHE = os.path.join(ROOT, "build", "bench-data")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def programs(args):
    """(tribune, tribune_load): --bin/--load when given, else built with the `bench` preset."""
    tribune = getattr(args, "bin", None)
    load = getattr(args, "load", None)
    if tribune and load:
        return tribune, load
    build = os.path.join(ROOT, "build", "bench")
    if not os.path.exists(os.path.join(build, "build.ninja")):
        subprocess.run(["cmake", "--preset", "bench"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["cmake", "--build", build, "-j", str(os.cpu_count() or 2), "--target", "tribune",
                    "tribune_load"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return tribune or os.path.join(build, "tribune"), load or os.path.join(build, "bench", "tribune_load")


def flood_file(seed=1, size=80000):
    """scripts/make-flood's flood (texts from the trainer's validation split), made once."""
    os.makedirs(CACHE, exist_ok=True)
    path = os.path.join(CACHE, f"flood-{seed}-{size}.jsonl")
    if not os.path.exists(path):
        log(f"generating {path} with scripts/make-flood --seed {seed} --size {size}")
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "make-flood"), "--seed", str(seed),
                        "--size", str(size), "--out", path + ".tmp"], check=True, stderr=subprocess.DEVNULL)
        os.replace(path + ".tmp", path)
    return path


def question_bodies(count=2000):
    """A file of `count` distinct real questions ({"text", "author"} per line), the first
    distinct texts of the flood, in its order: what the load tools post in turn."""
    path = os.path.join(CACHE, f"bodies-{count}.jsonl")
    if os.path.exists(path):
        return path
    seen, out = set(), []
    with open(flood_file(), encoding="utf-8") as f:
        for line in f:
            j = json.loads(line)
            if j["text"] in seen:
                continue
            seen.add(j["text"])
            out.append(json.dumps({"text": j["text"], "author": j["author"]}, ensure_ascii=False))
            if len(out) == count:
                break
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    os.replace(path + ".tmp", path)
    return path


def process_sample(pid):
    """(CPU seconds used so far, resident memory in MB) of a process, from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    rss = 0.0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) / 1024
    return cpu, rss


def review_subscription(sort):
    """The dashboard's subscription of the Review tab (web/app.js, web/connection.js) in `sort`
    order, as tribune_load --subscribe takes it."""
    return json.dumps({"type": "subscribe", "id": 1, "view": {"sort": sort, "status": ["pending", "held"]},
                       "limit": 50, "activity": True, "page": True, "ack": True}, separators=(",", ":"))


def load_tool(load, url, token, *extra, timeout=600):
    """Runs tribune_load and returns its JSON report."""
    out = subprocess.run([load, "--url", url, "--token", token, *map(str, extra)], check=True,
                         stdout=subprocess.PIPE, text=True, timeout=timeout)
    return json.loads(out.stdout)


def loadavg():
    return "%.1f %.1f %.1f" % os.getloadavg()


def now_utc():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def header(title, command):
    from tribune_bench_server import machine
    m = machine()
    print(f"## {title}")
    print(f"command: {command}")
    print(f"machine: {m['cpu']}, {m['nproc']} cores; load average at start {loadavg()}; {now_utc()}")


def table(rows):
    """Prints rows (lists of cells; the first is the header) as a Markdown table."""
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    for n, r in enumerate(rows):
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |")
        if n == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")


class Sampler(threading.Thread):
    """Peak RSS of a process, every 0.2 s."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak, self.stopped = pid, 0.0, False

    def run(self):
        while not self.stopped:
            try:
                self.peak = max(self.peak, process_sample(self.pid)[1])
            except OSError:
                return
            time.sleep(0.2)
