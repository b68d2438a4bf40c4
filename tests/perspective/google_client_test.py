#!/usr/bin/python3
"""A program written for Perspective API with Google's own client library (Debian's
python3-googleapi) works against Tribune by changing only its discovery URL and key.

Usage: google_client_test.py TRIBUNE_BINARY SOURCE_DIR
Starts `tribune serve` on a free port with a fresh database (and --perspective-prefix), makes an
analyst key with `tribune token create`, and drives the server through
googleapiclient.discovery.build(). Prints 'N passed, N failed' and exits non-zero on failure.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

from googleapiclient import discovery, errors

binary, source = sys.argv[1], sys.argv[2]
workdir = tempfile.mkdtemp(prefix="tribune-gclient-")
db = os.path.join(workdir, "t.db")
common = ["--db", db, "--migrations", os.path.join(source, "migrations")]
passed, failed = 0, 0


def check(name, condition, detail=""):
    global passed, failed
    if condition:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {name}: {detail}")


key = subprocess.run([binary, "token", "create", "--role", "analyst", "--name", "gclient"] + common,
                     check=True, capture_output=True, text=True).stdout.strip()
server = subprocess.Popen([binary, "serve", "--port", "0", "--classifier", "model", "--quiet",
                           "--perspective-prefix", "/perspective",
                           "--model", os.path.join(source, "models", "toxicity.tlm"),
                           "--web-root", os.path.join(source, "web")] + common,
                          stdout=subprocess.PIPE, text=True)
try:
    port = None
    deadline = time.time() + 30
    while port is None and time.time() < deadline:
        line = server.stdout.readline()
        m = re.search(r"listening on http://[^:]+:(\d+)/", line)
        if m:
            port = int(m.group(1))
    if port is None:
        raise SystemExit("tribune serve did not start")

    for base in ("", "perspective/"):
        url = f"http://127.0.0.1:{port}/{base}$discovery/rest?version={{apiVersion}}"
        client = discovery.build("commentanalyzer", "v1alpha1", developerKey=key,
                                 discoveryServiceUrl=url, cache_discovery=False)
        r = client.comments().analyze(body={
            "comment": {"text": "What kind of idiot name is foo? Sorry, I like your name."},
            "languages": ["en"], "requestedAttributes": {"TOXICITY": {}, "INSULT": {}},
            "spanAnnotations": True, "doNotStore": True, "clientToken": "c-1"}).execute()
        tox = r["attributeScores"]["TOXICITY"]
        check(f"{base}analyze summary", 0 <= tox["summaryScore"]["value"] <= 1, json.dumps(r))
        check(f"{base}analyze type", tox["summaryScore"]["type"] == "PROBABILITY", json.dumps(r))
        check(f"{base}analyze spans", [(s["begin"], s["end"]) for s in tox["spanScores"]] == [(0, 31), (32, 56)],
              json.dumps(r))
        check(f"{base}analyze clientToken", r.get("clientToken") == "c-1", json.dumps(r))
        s = client.comments().suggestscore(body={
            "comment": {"text": "You people are vermin"},
            "attributeScores": {"TOXICITY": {"summaryScore": {"value": 1}}},
            "communityId": "gclient", "clientToken": "s-1"}).execute()
        check(f"{base}suggestscore", s == {"clientToken": "s-1"}, json.dumps(s))
        try:
            client.comments().analyze(body={"comment": {"text": "x"},
                                            "requestedAttributes": {"FLIRTATION": {}}}).execute()
            check(f"{base}unsupported attribute", False, "no error raised")
        except errors.HttpError as e:
            body = json.loads(e.content)
            check(f"{base}unsupported attribute", e.resp.status == 400 and
                  body["error"]["status"] == "INVALID_ARGUMENT", e.content)

    bad = discovery.build("commentanalyzer", "v1alpha1", developerKey="trb_" + "x" * 43,
                          discoveryServiceUrl=f"http://127.0.0.1:{port}/$discovery/rest?version={{apiVersion}}",
                          cache_discovery=False)
    try:
        bad.comments().analyze(body={"comment": {"text": "x"}, "requestedAttributes": {"TOXICITY": {}}}).execute()
        check("wrong key", False, "no error raised")
    except errors.HttpError as e:
        check("wrong key", e.resp.status == 403, e.content)
finally:
    server.terminate()
    server.wait(timeout=30)
    shutil.rmtree(workdir, ignore_errors=True)

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
