"""Helpers for the Python benchmarks in bench/: start a private `tribune serve` on a temporary
database and talk to its API with one keep-alive connection.

Python standard library only. Not thread-safe: one benchmark thread drives a server and its
api objects.
"""
import http.client
import json
import os
import re
import signal
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.parse


class ApiError(RuntimeError):
    pass


class Api:
    """One keep-alive HTTP connection to the server, with a bearer token."""

    def __init__(self, port, token, timeout=120):
        self.port = port
        self.token = token
        self.timeout = timeout
        self.conn = None
        self.requests = 0

    def call(self, method, path, body=None, expect=(200, 201)):
        """(status, parsed JSON body); raises ApiError when the status is not expected."""
        data = None if body is None else json.dumps(body).encode("utf-8")
        headers = {"Authorization": "Bearer " + self.token}
        if data is not None:
            headers["Content-Type"] = "application/json"
        for attempt in range(2):  # one reconnect when the server closed the keep-alive socket
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=data, headers=headers)
                res = self.conn.getresponse()
                raw = res.read()
                break
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = None
                if attempt == 1:
                    raise
        self.requests += 1
        parsed = json.loads(raw) if raw else None
        if expect and res.status not in expect:
            raise ApiError(f"{method} {path} answered {res.status}: {raw[:300]!r}")
        return res.status, parsed

    def list_all(self, slug, query):
        """Every question of the list API for `query` (following next_cursor, 500 a page)."""
        items, cursor = [], None
        while True:
            q = query + "&limit=500" + ("&cursor=" + urllib.parse.quote(cursor) if cursor else "")
            _, page = self.call("GET", f"/api/v1/events/{slug}/questions?{q}")
            items.extend(page["items"])
            cursor = page.get("next_cursor")
            if not cursor:
                return items

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


class Postgres:
    """A throwaway PostgreSQL cluster (tests/postgres/pg-cluster) with fsync on, for the
    benchmarks' --postgres runs; fresh() hands out a new empty database's URL."""

    def __init__(self, work):
        # Its own directory, which the unprivileged user PostgreSQL runs as (when the benchmark
        # runs as root) can reach: `work` is private to this user.
        self.parent = tempfile.mkdtemp(prefix="tribune-bench-pg-")
        os.chmod(self.parent, 0o755)
        self.dir = os.path.join(self.parent, "pg")
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "postgres",
                              "pg-cluster")
        self.script = script
        subprocess.run([script, "start", self.dir], check=True, env={**os.environ, "TRIBUNE_PG_FSYNC": "on"})
        if os.path.exists(os.path.join(self.dir, "skip")):
            raise RuntimeError(open(os.path.join(self.dir, "skip")).read().strip())
        with open(os.path.join(self.dir, "url")) as f:
            self.url = f.read().strip()
        self.count = 0

    def fresh(self):
        self.count += 1
        name = f"bench{self.count}"
        subprocess.run(["psql", "-q", self.url, "-c", f"CREATE DATABASE {name}"], check=True)
        return self.url.rsplit("/", 1)[0] + "/" + name

    def cpu(self):
        """CPU seconds used so far by the cluster's processes that are alive (the postmaster,
        the backends serving Tribune's connections, the WAL writer, ...), from /proc."""
        datadir = os.path.join(self.dir, "data")  # pg-cluster writes where it put the data
        if os.path.exists(os.path.join(self.dir, "datadir")):
            with open(os.path.join(self.dir, "datadir")) as f:
                datadir = f.read().strip()
        with open(os.path.join(datadir, "postmaster.pid")) as f:
            postmaster = int(f.readline())
        out = subprocess.run(["pgrep", "-P", str(postmaster)], stdout=subprocess.PIPE, text=True).stdout
        total = 0.0
        for pid in [postmaster] + [int(x) for x in out.split()]:
            try:
                with open(f"/proc/{pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            except OSError:
                pass
        return total

    def stop(self):
        subprocess.run([self.script, "stop", self.dir], check=False)
        shutil.rmtree(self.parent, ignore_errors=True)


class PgActivity(threading.Thread):
    """What the backends of one database are doing, sampled every 0.1 s over one psql session
    (pg_stat_activity): per sample, each backend not idle counts once under "CPU" (active,
    waiting on nothing), its wait event ("Lock:transactionid", "IO:WALSync", "LWLock:WALWrite"
    ...) or "idle in transaction" (holding its locks while the client works or the round trip
    runs). summary() gives the mean number of backends in each state over the samples."""

    QUERY = ("SELECT CASE WHEN state = 'active' THEN coalesce(wait_event_type || ':' || wait_event, 'CPU') "
             "ELSE state END FROM pg_stat_activity WHERE datname = current_database() "
             "AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND state <> 'idle' "
             "AND query NOT LIKE 'LISTEN%';\nSELECT '--end--';\n")

    def __init__(self, url):
        super().__init__(daemon=True)
        self.proc = subprocess.Popen(["psql", "-qAtX", url], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True, bufsize=1)
        self.counts, self.samples, self.stopped = {}, 0, False

    def run(self):
        while not self.stopped and self.proc.poll() is None:
            self.proc.stdin.write(self.QUERY)
            self.proc.stdin.flush()
            for line in self.proc.stdout:
                line = line.strip()
                if line == "--end--":
                    break
                if line:
                    self.counts[line] = self.counts.get(line, 0) + 1
            self.samples += 1
            time.sleep(0.1)

    def stop(self):
        self.stopped = True
        self.join(timeout=5)
        self.proc.terminate()
        return self.summary()

    def summary(self):
        n = max(self.samples, 1)
        return {k: v / n for k, v in sorted(self.counts.items(), key=lambda kv: -kv[1])}


class Server:
    """`tribune serve` on a free port with the given database and rate limits off."""

    def __init__(self, binary, db, extra=(), admin_token=None):
        """admin_token: for a database another server created (it prints none then)."""
        self.binary = binary
        args = [binary, "serve", "--port", "0", "--db", db, "--rate-ip", "0", "--rate-token", "0",
                "--quiet", *extra]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.output = []
        self.port = None
        self.admin_token = admin_token
        deadline = time.time() + 60
        want_token = False
        for line in self.proc.stdout:
            self.output.append(line)
            m = re.search(r"listening on http://[^:]+:(\d+)/", line)
            if m:
                self.port = int(m.group(1))
            if "created an admin token" in line:
                want_token = True
            elif want_token and self.admin_token is None:
                self.admin_token = line.split()[-1]
            if "tribune: dashboard" in line or time.time() > deadline:
                break
            if admin_token and self.port is not None:
                break
        if self.port is None or self.admin_token is None:
            self.stop()
            raise RuntimeError("tribune serve did not start:\n" + "".join(self.output))
        # Keep the pipe drained so the server never blocks on its stdout.
        self.reader = threading.Thread(target=self._drain, daemon=True)
        self.reader.start()

    def _drain(self):
        for line in self.proc.stdout:
            self.output.append(line)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def api(self, token=None):
        return Api(self.port, token or self.admin_token)

    def token(self, name, role, event=None):
        body = {"name": name, "role": role}
        if event:
            body["event"] = event
        _, t = self.api().call("POST", "/api/v1/tokens", body)
        return t["token"]

    def metrics(self):
        """The server's counters that time the ingest pipeline (GET /metrics, on loopback)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        conn.request("GET", "/metrics")
        text = conn.getresponse().read().decode("utf-8")
        conn.close()
        out = {}
        for name in ("tribune_commit_seconds_sum", "tribune_commit_seconds_count",
                     "tribune_scoring_seconds_sum", "tribune_committed_questions_total"):
            m = re.search("^" + name + r" ([0-9.eE+-]+)$", text, re.M)
            out[name] = float(m.group(1)) if m else 0.0
        # Seconds per stage summed over every stored question (tribune_ingest_stage_seconds).
        for stage, value in re.findall(r'^tribune_ingest_stage_seconds_sum\{stage="([a-z_]+)"\} ([0-9.eE+-]+)$',
                                       text, re.M):
            out["stage_" + stage] = float(value)
        return out

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def machine():
    """nproc, CPU model and load average, for the report."""
    model = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": model, "loadavg": list(os.getloadavg())}
