// Browser tests of the moderator dashboard (web/) against the real server.
// Run: node --test tests/browser/   (see support.mjs for TRIBUNE_BIN and CHROMIUM)
//
// The subtests share one server, one event and one browser, and run in order: each builds on
// the state the previous one left (a question posted, then approved, then seen elsewhere).

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { apiClient, artifactsDir, serverWithModerators, startHeaderProxy } from './support.mjs';

const WAIT = { timeout: 10000 };
const slug = `bt-${Date.now().toString(36)}`;

let env; // {server, alice, bob}: browsers signed in as the moderators alice and bob
let api;
const pageErrors = [];

async function openDashboard(name) {
  const page = await (name === 'B' ? env.bob : env.alice).context.newPage();
  page.on('pageerror', (e) => pageErrors.push(`${name}: ${e.message}`));
  page.on('console', (m) => {
    // A 4xx answer is logged by the browser itself ("Failed to load resource"); that is expected.
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) {
      pageErrors.push(`${name} console: ${m.text()}`);
    }
  });
  return page;
}

// `moderator`: the name the page's browser signed in with (launchBrowser), checked in the header.
async function gotoDashboard(page, moderator) {
  await page.goto(`${env.server.base}/?event=${slug}`);
  await page.waitForSelector('#conn[data-state="live"]', WAIT);
  if (moderator) {
    await page.waitForSelector('#identity:not([hidden])', WAIT);
    assert.equal(await page.textContent('#identity .who-name'), moderator);
  }
}

const card = (id) => `#list .card[data-id="${id}"]`;
const countOf = async (page, status) =>
  Number((await page.textContent(`[data-count="${status}"]`)).replace(/\D/g, ''));

async function waitCount(page, status, n) {
  await page.waitForFunction(
    ([s, want]) => {
      const el = document.querySelector(`[data-count="${s}"]`);
      return el && Number(el.textContent.replace(/\D/g, '')) === want;
    },
    [status, n],
    WAIT,
  );
}

async function postQuestion(body) {
  const res = await api.post(`/api/v1/events/${slug}/questions`, body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

describe('moderator dashboard', { timeout: 120000 }, () => {
  let pageA;
  let pageB;
  let first;

  env = serverWithModerators('alice', 'bob');
  before(async () => {
    api = apiClient(env.server.base, env.server.token);
    const ev = await api.post('/api/v1/events', { slug, title: 'Browser test town hall', premoderate: true });
    assert.equal(ev.status, 201, JSON.stringify(ev.body));
  });

  test('(a) a posted question appears live in Review without reload', async () => {
    pageA = await openDashboard('A');
    await gotoDashboard(pageA, 'alice');
    assert.equal(await pageA.textContent('#event-title'), 'Browser test town hall');
    await pageA.waitForSelector('[role="tab"][data-tab="review"][aria-selected="true"]', WAIT);

    first = await postQuestion({ text: 'When will the new branch open?', author: 'dana', source: 'web' });
    assert.equal(first.status, 'held', 'a clean question in a pre-moderated event is held');
    await pageA.waitForSelector(card(first.id), WAIT);
    const text = await pageA.textContent(`${card(first.id)} .q-text`);
    assert.equal(text, 'When will the new branch open?');
    assert.match(await pageA.textContent(card(first.id)), /dana/);
    assert.equal(await pageA.getAttribute(card(first.id), 'data-status'), 'held');
    await waitCount(pageA, 'held', 1);
  });

  test('(b) Approve moves the question out of Review and counts it', async () => {
    pageB = await openDashboard('B');
    await gotoDashboard(pageB, 'bob');
    await pageB.waitForSelector(card(first.id), WAIT);

    const approvedBefore = await countOf(pageA, 'approved');
    await pageA.click(`${card(first.id)} button[data-action="approve"]`);
    await pageA.waitForSelector(card(first.id), { state: 'detached', ...WAIT });
    await waitCount(pageA, 'approved', approvedBefore + 1);
    await waitCount(pageA, 'held', 0);

    const stored = await api.get(`/api/v1/questions/${first.id}`);
    assert.equal(stored.body.status, 'approved');
    const decisions = await api.get(`/api/v1/questions/${first.id}/decisions`);
    const last = decisions.body.items.at(-1);
    assert.equal(last.actor, 'alice', 'the decision is recorded under the signed-in moderator');
  });

  test('(d) a second page sees the first page\'s decision live', async () => {
    await pageB.waitForSelector(card(first.id), { state: 'detached', ...WAIT });
    await waitCount(pageB, 'approved', 1);
    await pageB.click('[role="tab"][data-tab="approved"]');
    await pageB.waitForSelector(`${card(first.id)}[data-status="approved"]`, WAIT);
  });

  test('(c) hostile markup in a question is shown as text and runs nothing', async () => {
    const markup = `<img src=x onerror="document.title='pwned'">`;
    const q = await postQuestion({ text: markup, author: '<b>mallory</b>', source: 'twitter' });
    await pageA.waitForSelector(card(q.id), WAIT);
    const shown = await pageA.textContent(card(q.id));
    assert.ok(shown.includes(markup), `card text should contain the literal markup, got: ${shown}`);
    assert.ok(shown.includes('<b>mallory</b>'), 'the author is literal text too');
    assert.equal(await pageA.locator('#list .card img, #list .card b').count(), 0);
    assert.equal(await pageA.locator('img').count(), 0, 'no img element anywhere on the page');
    // Let any (wrongly) created image fail to load and fire its handler before checking.
    await pageA.evaluate(() => new Promise((r) => setTimeout(r, 300)));
    assert.notEqual(await pageA.title(), 'pwned');
    assert.notEqual(await pageB.title(), 'pwned');
  });

  test('spans are highlighted by code point and labelled by attribute', async () => {
    // Whatever the classifier marks, the rendered highlights must cover exactly the code points
    // the server's spans name, even after an astral character (two UTF-16 units).
    const q = await postQuestion({ text: '🙂 You are an idiot and this is stupid crap', author: 'eve' });
    await pageA.click('[role="tab"][data-tab="all"]');
    await pageA.waitForSelector(card(q.id), WAIT);
    const expected = (q.spans || []).map((s) => Array.from(q.text).slice(s.start, s.end).join(''));
    const marks = await pageA.$$eval(`${card(q.id)} mark.hl`, (els) =>
      els.map((e) => ({ text: e.textContent, attr: e.dataset.attribute, label: e.dataset.label || '' })),
    );
    const joined = marks.map((m) => m.text).join('|');
    for (const piece of expected) assert.ok(joined.includes(piece), `highlight for "${piece}" in ${joined}`);
    if (q.spans && q.spans.length) {
      assert.ok(marks.some((m) => m.label), 'each span carries its attribute label');
    }
    const bars = await pageA.locator(`${card(q.id)} .score`).count();
    assert.equal(bars, 6, 'six score bars');
    await pageA.click('[role="tab"][data-tab="review"]');
  });

  test('keyboard: k/j move the selection, a approves it, ? shows the keys', async () => {
    const q = await postQuestion({ text: 'Keyboard flow question', author: 'kim' });
    await pageA.waitForSelector(card(q.id), WAIT);
    await pageA.click('body', { position: { x: 5, y: 790 } }); // focus the page, not an input
    // The newest question is first; move the selection to it.
    await pageA.keyboard.press('k');
    for (let i = 0; i < 100 && !(await pageA.locator(`${card(q.id)}.selected`).count()); i++) {
      await pageA.keyboard.press('k');
    }
    await pageA.waitForSelector(`${card(q.id)}.selected`, WAIT);
    await pageA.keyboard.press('a');
    await pageA.waitForSelector(card(q.id), { state: 'detached', ...WAIT });
    const stored = await api.get(`/api/v1/questions/${q.id}`);
    assert.equal(stored.body.status, 'approved');
    await pageA.keyboard.press('?');
    await pageA.waitForSelector('#help[open]', WAIT);
    await pageA.keyboard.press('Escape');
    await pageA.waitForSelector('#help:not([open])', { state: 'attached', ...WAIT });
  });

  test('a stale decision shows who decided first (409 version_conflict)', async () => {
    // Page C's stream is held back, so it still shows version 1 when someone else decides.
    const pageC = await openDashboard('C');
    let hold = false;
    const queued = [];
    let pageSide = null;
    await pageC.routeWebSocket(/\/stream/, (ws) => {
      pageSide = ws;
      const upstream = ws.connectToServer();
      upstream.onMessage((m) => (hold ? queued.push(m) : ws.send(m)));
    });
    await gotoDashboard(pageC); // alice's browser, a second tab
    const q = await postQuestion({ text: 'Who decides first?', author: 'lee' });
    await pageC.waitForSelector(card(q.id), WAIT);

    // Another moderator, dave, with his own token, decides first.
    const dave = await api.post('/api/v1/tokens', { name: 'dave', role: 'moderator' });
    assert.equal(dave.status, 201, JSON.stringify(dave.body));
    hold = true;
    const other = await apiClient(env.server.base, dave.body.token).post(`/api/v1/questions/${q.id}/decision`, {
      action: 'reject',
      expected_version: q.version,
    });
    assert.equal(other.status, 200, JSON.stringify(other.body));

    await pageC.click(`${card(q.id)} button[data-action="approve"]`);
    const toast = pageC.locator('.toast-warn');
    await toast.waitFor(WAIT);
    const msg = await toast.textContent();
    assert.match(msg, /dave/, msg);
    assert.match(msg, /Rejected/, msg);
    assert.match(msg, /not applied/, msg);

    // Deliver the held messages: the page catches up, and its counts match the server's.
    hold = false;
    for (const m of queued.splice(0)) pageSide.send(m);
    const ev = await api.get(`/api/v1/events/${slug}`);
    for (const status of ['pending', 'held', 'approved', 'rejected', 'auto_rejected']) {
      await waitCount(pageC, status, ev.body.counts[status] || 0);
    }
    await pageC.close();
  });

  test('a dropped stream reconnects with since/epoch and receives what it missed', async () => {
    const pageD = await openDashboard('D');
    const sockets = []; // {url, first: first server message type, page: page-side route}
    let drop = false;
    await pageD.routeWebSocket(/\/stream/, (ws) => {
      const entry = { url: ws.url(), first: null, page: ws };
      sockets.push(entry);
      const upstream = ws.connectToServer();
      upstream.onMessage((m) => {
        if (entry.first === null) {
          entry.firstMsg = JSON.parse(m);
          entry.first = entry.firstMsg.type;
        }
        if (!drop) ws.send(m); // while dropping, the message is lost on this socket
      });
    });
    await gotoDashboard(pageD); // alice's browser, another tab
    assert.equal(sockets.length, 1);
    assert.equal(sockets[0].first, 'snapshot');

    drop = true;
    const q = await postQuestion({ text: 'Sent while the stream was down', author: 'ray' });
    sockets[0].page.close({ code: 1001, reason: 'test drops the stream' });
    await pageD.waitForFunction(() => document.querySelector('#conn').dataset.state !== 'live', null, WAIT);
    drop = false;

    await pageD.waitForSelector(card(q.id), WAIT);
    await pageD.waitForSelector('#conn[data-state="live"]', WAIT);
    assert.ok(sockets.length >= 2, 'a second connection was made');
    const resumed = new URL(sockets[1].url);
    assert.match(resumed.searchParams.get('since') || '', /^\d+$/, sockets[1].url);
    assert.ok(resumed.searchParams.get('epoch'), sockets[1].url);
    // The Review tab (impact order) takes page frames: a resume gets the page as it is now.
    assert.equal(sockets[1].first, 'snapshot', 'a page subscription is resumed with its page');
    assert.ok(
      sockets[1].firstMsg.items.some((item) => item.id === q.id),
      `the missed question is on the resumed page: ${JSON.stringify(sockets[1].firstMsg).slice(0, 300)}`,
    );

    // An order without page frames (severity) resumes with the changes it missed.
    await pageD.selectOption('#f-sort', 'severity');
    await pageD.waitForSelector(card(q.id), WAIT);
    drop = true;
    const q2 = await postQuestion({ text: 'Also sent while the stream was down', author: 'ray' });
    sockets[1].page.close({ code: 1001, reason: 'test drops the stream again' });
    await pageD.waitForFunction(() => document.querySelector('#conn').dataset.state !== 'live', null, WAIT);
    drop = false;
    await pageD.waitForSelector(card(q2.id), WAIT);
    await pageD.waitForSelector('#conn[data-state="live"]', WAIT);
    assert.ok(sockets.length >= 3, 'a third connection was made');
    assert.match(new URL(sockets[2].url).searchParams.get('since') || '', /^\d+$/, sockets[2].url);
    assert.equal(sockets[2].first, 'frame', 'a resume gets the missed change (in a frame), not a snapshot');
    assert.ok(
      sockets[2].firstMsg.changes.some((c) => c.question.id === q2.id),
      `the missed question is in the resume frame: ${JSON.stringify(sockets[2].firstMsg).slice(0, 300)}`,
    );
    await pageD.close();
  });

  test('works under a strict Content-Security-Policy (no inline script or style)', async () => {
    // The server does not send a CSP yet: a proxy adds the planned one to the page document.
    const csp =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; " +
      "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
    const proxy = await startHeaderProxy(env.server.base, { 'content-security-policy': csp });
    const pageE = await openDashboard('E');
    const violations = [];
    pageE.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    try {
      await pageE.goto(`${proxy.base}/?event=${slug}`);
      await pageE.waitForSelector('#conn[data-state="live"]', WAIT);
      const q = await postQuestion({ text: 'Does the dashboard run under a strict CSP?', author: 'csp' });
      await pageE.waitForSelector(card(q.id), WAIT);
      await pageE.click(card(q.id)); // select it: details panel, bars, highlights all render
      await pageE.waitForSelector(`${card(q.id)}.selected`, WAIT);
      const width = await pageE.$eval(`${card(q.id)} .score .fill`, (el) => getComputedStyle(el).width);
      assert.match(width, /px$/);
      assert.deepEqual(violations, []);
    } finally {
      await pageE.close();
      await proxy.close();
    }
  });

  test('(e) screenshot of the dashboard', async () => {
    const samples = [
      { text: 'Can you explain the new savings rate? It went from 1.2% to 0.9% without notice.', author: 'priya', source: 'web' },
      { text: 'Will rural branches close next year? Asking for my parents.', author: 'tom', source: 'twitter' },
      { text: 'This damn app crashes every time I log in, when will it be fixed?', author: 'sam', source: 'app' },
      { text: 'Why are the fees so stupid high for students?', author: null, source: 'sms' },
    ];
    let lastId = 0;
    for (const s of samples) {
      const q = await postQuestion(s);
      if (q.status === 'pending' || q.status === 'held') lastId = q.id; // what Review shows
    }
    assert.ok(lastId, 'at least one sample lands in Review');
    await pageA.waitForSelector(card(lastId), WAIT);
    await pageA.evaluate(() => window.scrollTo(0, 0));
    mkdirSync(artifactsDir, { recursive: true });
    const path = join(artifactsDir, 'dashboard.png');
    await pageA.screenshot({ path });
  });

  test('no script errors on the pages', () => {
    assert.deepEqual(pageErrors, []);
  });
});
