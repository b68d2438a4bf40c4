"""The checks of docker/check-cluster, through the load balancer only (what a client of the
compose "cluster" profile sees). Python's standard library only, so that it runs wherever
scripts/test runs: a minimal WebSocket client (RFC 6455: the handshake with the token's
header, unmasked text frames from the server, continuation frames, close).

    python3 docker/check-cluster.py LB_PORT TOKEN PID_A
    python3 docker/check-cluster.py LB_PORT TOKEN 'SHELL COMMAND THAT KILLS INSTANCE A'
The third argument is the process to kill with SIGKILL (docker/check-cluster), or a command that
kills it (docker/check-compose: `docker compose kill -s SIGKILL tribune-a`).
Exits 1 if a check fails."""
import base64
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

port, token, kill_a = int(sys.argv[1]), sys.argv[2], sys.argv[3]
lb = f"http://127.0.0.1:{port}"
failed = 0


def check(ok, what):
    global failed
    print(f"  {'ok  ' if ok else 'FAIL'} {what}", flush=True)
    failed += 0 if ok else 1


def request(method, path, body=None):
    req = urllib.request.Request(lb + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            status, raw = r.status, r.read()
    except urllib.error.HTTPError as e:
        status, raw = e.code, e.read()
    try:
        return status, json.loads(raw or b"null")
    except ValueError:  # nginx's own error pages are HTML
        return status, {"body": raw[:200].decode(errors="replace")}


class Stream:
    """A per-change stream of the demo event; every message kept in order by a reader thread."""

    def __init__(self, query=""):
        self.messages, self.closed = [], False
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /api/v1/events/demo/stream{query} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                           f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                           f"Sec-WebSocket-Version: 13\r\nAuthorization: Bearer {token}\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                break
            head += chunk
        self.status = head.split(b"\r\n", 1)[0].decode(errors="replace")
        self.upgraded = " 101 " in self.status
        self.sock.settimeout(None)
        if self.upgraded:
            threading.Thread(target=self._read, daemon=True).start()

    def _exact(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise EOFError
            data += chunk
        return data

    def _read(self):
        payload = b""
        try:
            while True:
                b0, b1 = self._exact(2)
                n = b1 & 0x7F
                if n == 126:
                    n = int.from_bytes(self._exact(2), "big")
                elif n == 127:
                    n = int.from_bytes(self._exact(8), "big")
                data = self._exact(n)
                opcode = b0 & 0x0F
                if opcode == 8:
                    break
                if opcode in (0, 1):
                    payload += data
                    if b0 & 0x80:
                        self.messages.append(json.loads(payload))
                        payload = b""
        except (EOFError, OSError):
            pass
        self.closed = True

    def texts(self):
        return {m["question"]["text"] for m in list(self.messages) if m.get("type") == "question"}

    def last_seq(self):
        return max((m["seq"] for m in list(self.messages) if isinstance(m.get("seq"), int)), default=0)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def until(pred, seconds=10.0):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.05)
    return pred()


one, two = Stream(), Stream()
check(one.upgraded and two.upgraded, f"two per-change streams open through nginx ({one.status}; {two.status})")
if not (one.upgraded and two.upgraded):
    sys.exit(1)
until(lambda: one.messages and two.messages)
check(one.messages[0].get("type") == "snapshot" and two.messages[0].get("type") == "snapshot",
      "each begins with a snapshot")

# Round robin spreads these POSTs over both instances; each stream is on one of them.
first = [f"Cluster check {os.getpid()}: question {i} about the 2027 budget?" for i in range(20)]
answers = [request("POST", "/api/v1/events/demo/questions", {"text": t}) for t in first]
check(all(s == 201 for s, _ in answers), f"20 POSTs through nginx answered {' '.join(str(s) for s, _ in answers)}")
check(until(lambda: set(first) <= one.texts()) and until(lambda: set(first) <= two.texts()),
      "both streams saw all 20 questions, whichever instance took each POST")

qid, version = answers[0][1]["id"], answers[0][1]["version"]
status, held = request("POST", f"/api/v1/questions/{qid}/decision",
                       {"action": "hold", "reason": "cluster check", "expected_version": version})
check(status == 200 and held["status"] == "held" and held["version"] > version,
      f"a decision through nginx answered {status}, version {version} -> {held.get('version')}")
seen = lambda s: any(m.get("type") == "question" and m["question"]["id"] == qid and m["question"]["status"] == "held"
                     for m in list(s.messages))
check(until(lambda: seen(one)) and until(lambda: seen(two)), "both streams saw the decision")
status, _ = request("POST", f"/api/v1/questions/{qid}/decision",
                    {"action": "reject", "reason": "cluster check", "expected_version": version})
check(status == 409, f"a reject at the version before the hold answered {status} (409 expected)")

# One instance dies. nginx sends new requests to the survivor; a stream that was on the dead
# instance reconnects through nginx with since/epoch and misses nothing.
epoch = one.messages[0]["epoch"]
if kill_a.isdigit():
    os.kill(int(kill_a), signal.SIGKILL)
else:
    subprocess.run(kill_a, shell=True, check=True, stdout=subprocess.DEVNULL)
until(lambda: one.closed or two.closed, 5)
dropped = one if one.closed else two if two.closed else None
check(dropped is not None, "the stream on the killed instance was closed")
since = dropped.last_seq() if dropped else 0
after = [f"Cluster check {os.getpid()}: after the kill, question {i}?" for i in range(10)]
later = [request("POST", "/api/v1/events/demo/questions", {"text": t}) for t in after]
check(all(s == 201 for s, _ in later), f"10 POSTs after the kill answered {' '.join(str(s) for s, _ in later)}")
back = Stream(f"?since={since}&epoch={epoch}")
check(back.upgraded and until(lambda: set(after) <= back.texts()),
      "a stream reopened through nginx with since/epoch got every later question")
seqs = [m["seq"] for m in list(back.messages) if m.get("type") != "snapshot"]
check(bool(back.messages) and back.messages[0].get("type") != "snapshot" and seqs[:1] == [since + 1]
      and all(b == a + 1 for a, b in zip(seqs, seqs[1:])),
      f"it resumed at seq {since + 1} with no gap and no snapshot (first: {back.messages[0] if back.messages else None!s:.60})")
for s in (one, two, back):
    s.close()
sys.exit(1 if failed else 0)
