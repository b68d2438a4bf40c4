// Support for the browser tests: start the real `tribune` server on an ephemeral port, launch
// Debian's Chromium through playwright-core, and call the HTTP API from Node.
//
// Env: TRIBUNE_BIN (default build/release/tribune, relative to the repository root),
//      CHROMIUM (default /usr/bin/chromium),
//      TRIBUNE_ARTIFACTS_DIR (default build/artifacts, relative to the repository root): where
//      tests save what a person looks at afterwards (the dashboard screenshot).

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { after, before } from 'node:test';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const artifactsDir = join(repoRoot, 'tests', 'browser', 'artifacts');

// The directory for test artefacts ($TRIBUNE_ARTIFACTS_DIR or build/artifacts), created.
export function outputDir() {
  const dir = resolve(repoRoot, process.env.TRIBUNE_ARTIFACTS_DIR || join('build', 'artifacts'));
  mkdirSync(dir, { recursive: true });
  return dir;
}

const READY_TIMEOUT_MS = 30000;

export function tribuneBin() {
  const bin = resolve(repoRoot, process.env.TRIBUNE_BIN || 'build/release/tribune');
  if (!existsSync(bin)) {
    throw new Error(`tribune binary not found at ${bin}; build it first or set TRIBUNE_BIN`);
  }
  return bin;
}

// Starts `tribune serve --port PORT --db DIR/t.db` from the repository root and resolves when it
// prints "listening on http://HOST:PORT" (and, on a fresh database, its first admin token).
// Returns {child, base, token, output()}.
async function launch(dir, port) {
  const bin = tribuneBin();
  const child = spawn(bin, ['serve', '--port', String(port), '--db', join(dir, 't.db')], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Keep draining both pipes for the whole run (a full pipe would block the server), and keep
  // the tail for diagnostics.
  const lines = [];
  const keep = (prefix) => (chunk) => {
    for (const l of chunk.toString('utf8').split('\n')) if (l) lines.push(prefix + l);
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout.on('data', keep(''));
  child.stderr.on('data', keep('stderr: '));
  const output = () => lines.join('\n');

  let token = null;
  const base = await new Promise((resolveBase, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`server did not report "listening on" within ${READY_TIMEOUT_MS} ms:\n${output()}`));
    }, READY_TIMEOUT_MS);
    let buf = '';
    const onData = (chunk) => {
      buf += chunk.toString('utf8');
      const m = buf.match(/listening on (http:\/\/[^\s/]+:(\d+))/);
      // A fresh database prints its first admin token after the address (before the dashboard line).
      if (m && /tribune: dashboard /.test(buf)) {
        const t = buf.match(/tribune:\s+(trb_[A-Za-z0-9_-]+)/);
        token = t ? t[1] : null;
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolveBase(m[1].replace('0.0.0.0', '127.0.0.1'));
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited early (code ${code}, signal ${signal}):\n${output()}`));
    });
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
  return { child, base, token, output };
}

async function terminate(child) {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const hard = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(hard);
  }
}

// Fills a new database for startServer's `prepare`: `tribune migrate`, then `sql` through the
// sqlite3 program in one transaction (WAL, then ANALYZE). For events of thousands of questions
// that the API would take long to ingest; `sql` must write each question's questions_fts row.
export function fillDatabase(dbPath, sql) {
  execFileSync(tribuneBin(), ['migrate', '--db', dbPath], { cwd: repoRoot, stdio: 'pipe' });
  const script = `PRAGMA journal_mode = WAL;\nBEGIN;\n${sql}\nCOMMIT;\nANALYZE;\n`;
  execFileSync('sqlite3', [dbPath], { input: script, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 1 << 20 });
}

// Starts `tribune serve --port 0 --db <tmp>/t.db` (see launch). Returns {base, token, stop(),
// restart(), output(), pid}: restart() stops the server (SIGTERM) and starts it again on the
// same port and database, so that pages open on it can reconnect by themselves.
// `prepare(dbPath)`, when given, runs first (e.g. to fill the database).
export async function startServer({ prepare } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'tribune-browser-'));
  if (prepare) await prepare(join(dir, 't.db'));
  let run = await launch(dir, 0);
  if (!run.token) throw new Error(`server printed no first admin token:\n${run.output()}`);
  const server = {
    base: run.base,
    token: run.token,
    pid: run.child.pid,
    output: () => run.output(),
    async stop() {
      await terminate(run.child);
      rmSync(dir, { recursive: true, force: true });
    },
    async restart() {
      await terminate(run.child);
      run = await launch(dir, Number(new URL(server.base).port));
      server.pid = run.child.pid;
    },
  };
  return server;
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// A persistent context in a fresh temporary profile; close() also removes the profile.
// With `server` ({base, token}), the context is signed in: the token is exchanged for the
// session cookie the way the sign-in page does it.
// With `moderator` as well, a moderator token of that name is made first (through the admin
// API) and the context signs in with it, so decisions are recorded under that name; `role`
// makes it a token of another role (executive, display) instead, and `viewport` sizes the
// pages.
export async function launchBrowser(server = null, moderator = null, { role = 'moderator', viewport } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'tribune-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: viewport || { width: 1280, height: 800 },
  });
  if (server) {
    let token = server.token;
    if (moderator) {
      const made = await apiClient(server.base, server.token).post('/api/v1/tokens', {
        name: moderator,
        role,
      });
      if (made.status !== 201) throw new Error(`token for ${moderator}: ${JSON.stringify(made.body)}`);
      token = made.body.token;
    }
    const res = await context.request.post(`${server.base}/api/v1/session`, {
      data: { token },
      headers: { Origin: server.base },
    });
    if (!res.ok()) throw new Error(`sign-in failed: ${res.status()} ${await res.text()}`);
  }
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

// For a describe(): starts a server and, for each moderator name, a browser signed in as
// that moderator (launchBrowser) before the suite's tests, and closes them all after.
// Returns an object filled in by then: {server, <name>: browser, ...}.
export function serverWithModerators(...names) {
  const env = { server: null };
  before(async () => {
    env.server = await startServer();
    for (const name of names) env[name] = await launchBrowser(env.server, name);
  });
  after(async () => {
    for (const name of names) if (env[name]) await env[name].close();
    if (env.server) await env.server.stop();
  });
  return env;
}

// A JSON client (apiClient) holding a new moderator token of event `slug`, named `name`, made
// with the server's admin token.
export async function moderatorClient(server, slug, name) {
  const tok = await apiClient(server.base, server.token).post('/api/v1/tokens', { name, role: 'moderator', event: slug });
  if (tok.status !== 201) throw new Error(`moderator token for ${slug}: ${tok.status} ${JSON.stringify(tok.body)}`);
  return apiClient(server.base, tok.body.token);
}

// A small JSON client for the API. Returns {status, body}; never throws on 4xx/5xx.
// With `token`, every call carries it as a bearer token.
export function apiClient(base, token = null) {
  const call = async (method, path, body) => {
    const headers = body === undefined ? {} : { 'Content-Type': 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    const res = await fetch(base + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = { raw: text };
    }
    return { status: res.status, body: json };
  };
  return {
    get: (p) => call('GET', p),
    post: (p, b) => call('POST', p, b),
    put: (p, b) => call('PUT', p, b),
    patch: (p, b) => call('PATCH', p, b),
    delete: (p) => call('DELETE', p),
  };
}

// A reverse proxy in front of the server that adds `headers` to the page document ("/" and
// *.html), so a test can check the dashboard under response headers the server does not send
// yet (a strict CSP). Proxies WebSocket upgrades too. Returns {base, close()}.
export async function startHeaderProxy(target, headers) {
  const up = new URL(target);
  const server = http.createServer((req, res) => {
    const preq = http.request(
      { host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers },
      (pres) => {
        const isDoc = req.url === '/' || req.url.startsWith('/?') || /\.html(\?|$)/.test(req.url);
        res.writeHead(pres.statusCode, { ...pres.headers, ...(isDoc ? headers : {}) });
        pres.pipe(res);
      },
    );
    preq.on('error', () => res.destroy());
    req.pipe(preq);
  });
  server.on('upgrade', (req, socket, head) => {
    const upstream = net.connect(Number(up.port), up.hostname, () => {
      let raw = `${req.method} ${req.url} HTTP/1.1\r\n`;
      for (let i = 0; i < req.rawHeaders.length; i += 2) raw += `${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`;
      upstream.write(`${raw}\r\n`);
      if (head && head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    const end = () => {
      upstream.destroy();
      socket.destroy();
    };
    upstream.on('error', end);
    socket.on('error', end);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections?.();
        server.close(r);
      }),
  };
}

// A TCP proxy in front of the server whose freeze() simulates a network drop that nobody
// closes: the connections open through it stay open but carry nothing more, either way, and
// connections opened while frozen are accepted and carry nothing. thaw() lets new
// connections through again (the frozen ones stay dead, as after a real drop).
// Returns {base, freeze(), thaw(), close()}.
export async function startFreezableProxy(target) {
  const up = new URL(target);
  const sockets = new Set();
  let frozen = false;
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(up.port), up.hostname);
    const pair = { dead: frozen };
    sockets.add(pair);
    pair.sockets = [client, upstream];
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(pair);
    };
    client.on('data', (d) => pair.dead || upstream.write(d));
    upstream.on('data', (d) => pair.dead || client.write(d));
    // A close on one side reaches the other only while the network "works".
    client.on('close', () => pair.dead || end());
    upstream.on('close', () => pair.dead || end());
    client.on('error', () => {});
    upstream.on('error', () => {});
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${server.address().port}`,
    freeze() {
      frozen = true;
      for (const p of sockets) p.dead = true;
    },
    thaw() {
      frozen = false;
    },
    close: () =>
      new Promise((r) => {
        for (const p of sockets) for (const s of p.sockets) s.destroy();
        server.close(r);
      }),
  };
}

// The ids of the cards the list shows, ascending.
export const shownIds = (page) =>
  page.$$eval('#list .card', (els) => els.map((e) => Number(e.dataset.id)).sort((a, b) => a - b));

// Waits (up to `timeout` ms) until the list shows exactly `ids` — a view change empties it until
// its snapshot arrives — then asserts it does.
export async function waitShown(page, ids, timeout = 10000) {
  const want = [...ids].sort((a, b) => a - b);
  await page
    .waitForFunction(
      (w) => {
        const got = [...document.querySelectorAll('#list .card')].map((e) => Number(e.dataset.id)).sort((a, b) => a - b);
        return JSON.stringify(got) === JSON.stringify(w);
      },
      want,
      { timeout },
    )
    .catch(() => {});
  assert.deepEqual(await shownIds(page), want);
}
