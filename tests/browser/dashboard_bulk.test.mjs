// Browser tests of the dashboard's identity header, selection (x / X / Esc), bulk decisions
// (a / r / h on a selection), undo (u) and near-duplicate groups (g) against the real server.
// Run: node --test tests/browser/dashboard_bulk.test.mjs   (see support.mjs)
//
// Each test has its own pre-moderated event (clean questions are held for Review), so they do
// not depend on each other's questions; they share one server and one signed-in browser.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiClient, launchBrowser, startServer, waitShown } from './support.mjs';

const WAIT = { timeout: 10000 };

let server;
let api; // admin
let dave; // another moderator, deciding through the API
let browser; // signed in as the moderator alice
const pageErrors = [];
let events = 0;

async function newEvent() {
  events += 1;
  const slug = `bulk-${events}-${Date.now().toString(36)}`;
  const ev = await api.post('/api/v1/events', { slug, title: `Bulk test ${events}`, premoderate: true });
  assert.equal(ev.status, 201, JSON.stringify(ev.body));
  return slug;
}

async function post(slug, text, author = 'ana') {
  const res = await api.post(`/api/v1/events/${slug}/questions`, { text, author });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

async function status(id) {
  const res = await api.get(`/api/v1/questions/${id}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.status;
}

async function openPage(slug, { beforeGoto } = {}) {
  const page = await browser.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) pageErrors.push(`console: ${m.text()}`);
  });
  if (beforeGoto) await beforeGoto(page);
  await page.goto(`${server.base}/?event=${slug}`);
  await page.waitForSelector('#conn[data-state="live"]', WAIT);
  return page;
}

const card = (id) => `#list .card[data-id="${id}"]`;
const gone = { state: 'detached', ...WAIT };

// Puts the keyboard focus on the page (not on an input) and the dashboard's focus on card `id`.
async function focusCard(page, id) {
  await page.click(`${card(id)} .q-text`);
  await page.waitForSelector(`${card(id)}.selected`, WAIT);
}


const checkedIds = (page) =>
  page.$$eval('#list .card.checked', (els) => els.map((e) => Number(e.dataset.id)).sort((a, b) => a - b));

async function waitSelected(page, n) {
  if (n === 0) {
    await page.waitForSelector('#bulkbar [data-part="selection"]', gone);
    return;
  }
  await page.waitForFunction(
    (want) => document.querySelector('#bulkbar .bulk-n')?.textContent === `${want} selected`,
    n,
    WAIT,
  );
}

async function lastToast(page, kind = 'info') {
  const t = page.locator(`#toasts .toast-${kind}`).last();
  await t.waitFor(WAIT);
  return t.textContent();
}

describe('selection, bulk decisions, undo and groups', { timeout: 180000 }, () => {
  before(async () => {
    server = await startServer();
    api = apiClient(server.base, server.token);
    const made = await api.post('/api/v1/tokens', { name: 'dave', role: 'moderator' });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    dave = apiClient(server.base, made.body.token);
    browser = await launchBrowser(server, 'alice');
  });

  after(async () => {
    if (browser) await browser.close();
    if (server) await server.stop();
  });

  test('the header says who is signed in; there is no name box', async () => {
    const slug = await newEvent();
    const page = await openPage(slug);
    await page.waitForSelector('#identity:not([hidden])', WAIT);
    const text = (await page.textContent('#identity .who')).replace(/\s+/g, ' ').trim();
    assert.equal(text, 'Signed in as alice (moderator)');
    assert.equal(await page.locator('#moderator').count(), 0, 'the ignored name input is gone');
    assert.equal(await page.evaluate(() => localStorage.getItem('tribune.moderator')), null);
    await page.close();
  });

  test('(a) keyboard: x / X select, a approves the selection, u undoes it, Esc clears, g opens a group', async () => {
    const slug = await newEvent();
    const q1 = await post(slug, 'Will the Elm Street branch stay open?');
    const q2 = await post(slug, 'What is the new savings rate for students?');
    const q3 = await post(slug, 'Can I still pay by cheque next year?');
    const dupA = await post(slug, 'When will you lower the overdraft fees?');
    const dupB = await post(slug, 'when will u lower overdraft fees??');
    for (const q of [q1, q2, q3, dupA, dupB]) assert.equal(q.status, 'held', JSON.stringify(q));
    const page = await openPage(slug);
    for (const q of [q1, q2, q3, dupA, dupB]) await page.waitForSelector(card(q.id), WAIT);

    // x toggles the focused card; the bulk bar counts the selection.
    await focusCard(page, q3.id);
    await page.keyboard.press('x');
    await waitSelected(page, 1);
    assert.deepEqual(await checkedIds(page), [q3.id]);
    assert.equal(await page.isChecked(`${card(q3.id)} .card-check`), true, 'its checkbox is ticked');
    await page.keyboard.press('j'); // newest first: q2 is below q3
    await page.waitForSelector(`${card(q2.id)}.selected`, WAIT);
    await page.keyboard.press('x');
    await waitSelected(page, 2);
    assert.deepEqual(await checkedIds(page), [q2.id, q3.id]);
    await page.keyboard.press('x'); // again: unselects
    await waitSelected(page, 1);
    assert.deepEqual(await checkedIds(page), [q3.id]);

    // X selects the whole page, then (all selected) clears it.
    await page.keyboard.press('Shift+X');
    await waitSelected(page, 5);
    await page.keyboard.press('Shift+X');
    await waitSelected(page, 0);
    assert.deepEqual(await checkedIds(page), []);

    // The mouse ticks a checkbox too; a acts on the whole selection (q1, q2) in one request.
    await page.check(`${card(q1.id)} .card-check`);
    await page.check(`${card(q2.id)} .card-check`);
    await waitSelected(page, 2);
    assert.match(await page.textContent('#bulkbar'), /a \/ r \/ h act on the whole selection/);
    const bulkCalls = [];
    page.on('request', (r) => {
      if (r.url().endsWith(`/events/${slug}/decisions`)) bulkCalls.push(JSON.parse(r.postData()));
    });
    await page.keyboard.press('a');
    await page.waitForSelector(card(q1.id), gone);
    await page.waitForSelector(card(q2.id), gone);
    await waitSelected(page, 0);
    assert.equal(bulkCalls.length, 1, 'one bulk request');
    assert.deepEqual([...bulkCalls[0].ids].sort((a, b) => a - b), [q1.id, q2.id]);
    assert.deepEqual(bulkCalls[0].expected_versions, { [q1.id]: q1.version, [q2.id]: q2.version });
    assert.equal(bulkCalls[0].moderator, undefined, 'no moderator name is sent');
    assert.equal(await status(q1.id), 'approved');
    assert.equal(await status(q2.id), 'approved');
    const trail = await api.get(`/api/v1/questions/${q1.id}/decisions`);
    assert.equal(trail.body.items.at(-1).actor, 'alice');
    assert.match(await lastToast(page), /2 questions approved/);
    for (const q of [q3, dupA, dupB]) assert.equal(await page.locator(card(q.id)).count(), 1, 'the others stay');

    // u undoes the bulk decision, question by question: both are held again and back in Review.
    await page.keyboard.press('u');
    await page.waitForSelector(card(q1.id), WAIT);
    await page.waitForSelector(card(q2.id), WAIT);
    assert.match(await lastToast(page), /Undone: your approve of 2 questions/);
    assert.equal(await status(q1.id), 'held');
    assert.equal(await status(q2.id), 'held');

    // A single decision is undone the same way.
    await focusCard(page, q3.id);
    await page.keyboard.press('r');
    await page.waitForSelector(card(q3.id), gone);
    assert.equal(await status(q3.id), 'rejected');
    await page.keyboard.press('u');
    await page.waitForSelector(card(q3.id), WAIT);
    assert.match(await lastToast(page), new RegExp(`Undone: your reject of #${q3.id}\\. It is Held again`));
    assert.equal(await status(q3.id), 'held');

    // Someone else decided after us: the undo is refused with the server's reason.
    await focusCard(page, q3.id);
    await page.keyboard.press('a');
    await page.waitForSelector(card(q3.id), gone);
    const other = await dave.post(`/api/v1/questions/${q3.id}/decision`, { action: 'reject' });
    assert.equal(other.status, 200, JSON.stringify(other.body));
    await page.keyboard.press('u');
    const refused = await lastToast(page, 'warn');
    assert.match(refused, /Could not undo your approve/);
    assert.match(refused, /made by dave, not alice/);
    assert.match(refused, /undo_unavailable/);
    assert.equal(await status(q3.id), 'rejected');

    // Esc clears the selection.
    await focusCard(page, q1.id); // the oldest, last on the page
    await page.keyboard.press('x');
    await page.keyboard.press('k');
    await page.keyboard.press('x');
    await waitSelected(page, 2);
    assert.deepEqual(await checkedIds(page), [q1.id, q2.id]);
    await page.keyboard.press('Escape');
    await waitSelected(page, 0);
    assert.deepEqual(await checkedIds(page), []);

    // g on a card with similar questions shows its group; Esc leaves it.
    await page.waitForFunction(
      (id) => document.querySelector(`#list .card[data-id="${id}"] .cluster-badge`)?.textContent === '2 similar',
      dupB.id,
      WAIT,
    );
    await focusCard(page, dupB.id);
    await page.keyboard.press('g');
    await page.waitForSelector('#f-group:not([hidden])', WAIT);
    assert.equal((await page.textContent('#f-group .chip-l')).trim(), `Group #${dupA.id}`);
    await waitShown(page, [dupA.id, dupB.id]);
    await page.keyboard.press('Escape');
    await page.waitForSelector('#f-group', { state: 'hidden', ...WAIT });
    await waitShown(page, [q1.id, q2.id, dupA.id, dupB.id]); // q3 was rejected above
    await page.close();
  });

  test('bulk: a refused item is noted on its card and summed up in one toast', async () => {
    const slug = await newEvent();
    const qs = [];
    for (const t of ['Fees for wire transfers?', 'Opening hours on holidays?', 'Mortgage rates next year?']) {
      qs.push(await post(slug, t));
    }
    // The page's stream is held back so it still shows version 1 when dave decides.
    let hold = false;
    const queued = [];
    let pageSide = null;
    const page = await openPage(slug, {
      beforeGoto: (p) =>
        p.routeWebSocket(/\/stream/, (ws) => {
          pageSide = ws;
          const upstream = ws.connectToServer();
          upstream.onMessage((m) => (hold ? queued.push(m) : ws.send(m)));
        }),
    });
    for (const q of qs) await page.waitForSelector(card(q.id), WAIT);
    await page.click('body', { position: { x: 5, y: 790 } });
    await page.keyboard.press('Shift+X');
    await waitSelected(page, 3);

    hold = true;
    const other = await dave.post(`/api/v1/questions/${qs[1].id}/decision`, { action: 'reject' });
    assert.equal(other.status, 200, JSON.stringify(other.body));
    await page.keyboard.press('h');
    const summary = await lastToast(page, 'warn');
    assert.match(summary, /^2 applied, 1 not: /);
    assert.match(summary, new RegExp(`#${qs[1].id} .*\\(version_conflict\\)`));
    const note = await page.textContent(`${card(qs[1].id)} .card-note`);
    assert.match(note, /Your hold on #\d+ was not applied: .*\(version_conflict\)/);
    assert.equal(await status(qs[0].id), 'held', 'hold of a held question: applied, nothing moves');
    assert.equal(await status(qs[1].id), 'rejected', "dave's decision stands");
    // The applied ones leave the selection; the refused one stays selected.
    await waitSelected(page, 1);
    assert.deepEqual(await checkedIds(page), [qs[1].id]);

    // The held-back frames arrive: the rejected question leaves the view, and the selection.
    hold = false;
    for (const m of queued.splice(0)) pageSide.send(m);
    await page.waitForSelector(card(qs[1].id), gone);
    await waitSelected(page, 0);
    await page.close();
  });

  test('the selection survives live frames; a card that leaves the view leaves it', async () => {
    const slug = await newEvent();
    const a = await post(slug, 'Is there a fee for paper statements?');
    const b = await post(slug, 'Will the app support dark mode?');
    const page = await openPage(slug);
    await page.waitForSelector(card(b.id), WAIT);
    await page.check(`${card(a.id)} .card-check`);
    await page.check(`${card(b.id)} .card-check`);
    await waitSelected(page, 2);

    const c = await post(slug, 'Do you plan to open on Sundays?');
    await page.waitForSelector(card(c.id), WAIT);
    assert.deepEqual(await checkedIds(page), [a.id, b.id].sort((x, y) => x - y));
    assert.equal(await page.isChecked(`${card(c.id)} .card-check`), false);

    const other = await dave.post(`/api/v1/questions/${a.id}/decision`, { action: 'approve' });
    assert.equal(other.status, 200, JSON.stringify(other.body));
    await page.waitForSelector(card(a.id), gone);
    await waitSelected(page, 1);
    assert.deepEqual(await checkedIds(page), [b.id]);

    // Another view (a tab switch) starts with no selection.
    await page.click('[role="tab"][data-tab="all"]');
    await page.waitForSelector(card(a.id), WAIT);
    await waitSelected(page, 0);
    await page.close();
  });

  test('Sign out ends the session and goes to the sign-in page', async () => {
    const slug = await newEvent();
    const own = await launchBrowser(server, 'erin');
    try {
      const page = await own.context.newPage();
      await page.goto(`${server.base}/?event=${slug}`);
      await page.waitForSelector('#identity:not([hidden])', WAIT);
      await Promise.all([page.waitForURL(/\/login$/, WAIT), page.click('#sign-out')]);
      const who = await own.context.request.get(`${server.base}/api/v1/session`);
      assert.equal(who.status(), 401, 'the session is closed');
      await page.goto(`${server.base}/?event=${slug}`);
      await page.waitForURL(/\/login\?next=/, WAIT);
    } finally {
      await own.close();
    }
  });

  test('no script errors on the pages', () => {
    assert.deepEqual(pageErrors, []);
  });
});
