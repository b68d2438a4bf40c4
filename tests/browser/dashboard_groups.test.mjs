// Browser test of near-duplicate groups: badges, opening a group (g, or a click on the badge),
// a bulk decision on the whole group, and leaving it (Esc, or the chip's ✕).
// Run: node --test tests/browser/dashboard_groups.test.mjs   (see support.mjs)

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiClient, launchBrowser, startServer, waitShown } from './support.mjs';

const WAIT = { timeout: 10000 };
const slug = `grp-${Date.now().toString(36)}`;

let server;
let api;
let browser;
const pageErrors = [];

const card = (id) => `#list .card[data-id="${id}"]`;
const gone = { state: 'detached', ...WAIT };

async function post(text) {
  const res = await api.post(`/api/v1/events/${slug}/questions`, { text, author: 'ana' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

async function status(id) {
  return (await api.get(`/api/v1/questions/${id}`)).body.status;
}

describe('near-duplicate groups', { timeout: 120000 }, () => {
  before(async () => {
    server = await startServer();
    api = apiClient(server.base, server.token);
    // Pre-moderated: clean questions are held for Review.
    const ev = await api.post('/api/v1/events', { slug, title: 'Groups test', premoderate: true });
    assert.equal(ev.status, 201, JSON.stringify(ev.body));
    browser = await launchBrowser(server, 'alice');
  });

  after(async () => {
    if (browser) await browser.close();
    if (server) await server.stop();
  });

  test('(c) g opens a group; rejecting the group empties it from Review and leaves the rest', async () => {
    const page = await browser.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${server.base}/?event=${slug}`);
    await page.waitForSelector('#conn[data-state="live"]', WAIT);

    // Posted while the page watches: the badges of earlier members follow the group's growth.
    const d1 = await post('When will you lower the overdraft fees?');
    const other = await post('Is the Springfield branch open on Saturdays?');
    const d2 = await post('when will u lower overdraft fees??');
    const d3 = await post('When will you finally lower the overdraft fees?');
    const dups = [d1, d2, d3];
    for (const q of [...dups, other]) assert.equal(q.status, 'held', JSON.stringify(q));
    for (const q of dups) {
      const { id, size, in_review: inReview } = (await api.get(`/api/v1/questions/${q.id}`)).body.cluster;
      assert.deepEqual({ id, size, inReview }, { id: d1.id, size: 3, inReview: 3 }, `#${q.id}`);
    }
    assert.equal((await api.get(`/api/v1/questions/${other.id}`)).body.cluster.size, 1);

    for (const q of [...dups, other]) await page.waitForSelector(card(q.id), WAIT);
    for (const q of dups) {
      await page.waitForFunction(
        (id) => document.querySelector(`#list .card[data-id="${id}"] .cluster-badge`)?.textContent === '3 similar',
        q.id,
        WAIT,
      );
    }
    assert.equal(await page.locator(`${card(other.id)} .cluster-badge`).count(), 0, 'no badge without duplicates');

    // g on a member opens the group: only its 3 questions, and a chip in the filter bar.
    await page.click(`${card(d2.id)} .q-text`);
    await page.waitForSelector(`${card(d2.id)}.selected`, WAIT);
    await page.keyboard.press('g');
    await page.waitForSelector('#f-group:not([hidden])', WAIT);
    assert.equal((await page.textContent('#f-group .chip-l')).trim(), `Group #${d1.id}`);
    await waitShown(page, dups.map((q) => q.id));

    // Reject group: one bulk request by cluster, and all 3 leave Review.
    const calls = [];
    page.on('request', (r) => {
      if (r.url().endsWith(`/events/${slug}/decisions`)) calls.push(JSON.parse(r.postData()));
    });
    await page.click('#bulkbar [data-scope="group"][data-bulk="reject"]');
    for (const q of dups) await page.waitForSelector(card(q.id), gone);
    assert.deepEqual(calls, [{ action: 'reject', cluster: d1.id, from: ['pending', 'held'] }]);
    assert.match(await page.locator('#toasts .toast-info').last().textContent(), /3 questions rejected \(group #\d+\)/);
    for (const q of dups) assert.equal(await status(q.id), 'rejected');

    // Esc leaves the group: the unrelated question is still in Review, the group is not.
    await page.click('body', { position: { x: 5, y: 790 } });
    await page.keyboard.press('Escape');
    await page.waitForSelector('#f-group', { state: 'hidden', ...WAIT });
    await waitShown(page, [other.id]);
    assert.equal(await status(other.id), 'held');
    await page.waitForFunction(() => document.querySelector('[data-tab-count="review"]').textContent === '1', null, WAIT);

    // u undoes the group decision: all 3 are back; the badge opens the group with the mouse.
    await page.keyboard.press('u');
    for (const q of dups) await page.waitForSelector(card(q.id), WAIT);
    for (const q of dups) assert.equal(await status(q.id), 'held');
    await page.click(`${card(d3.id)} .cluster-badge`);
    await page.waitForSelector('#f-group:not([hidden])', WAIT);
    await waitShown(page, dups.map((q) => q.id));
    await page.click('#f-group'); // its ✕
    await page.waitForSelector('#f-group', { state: 'hidden', ...WAIT });
    await waitShown(page, [...dups.map((q) => q.id), other.id]);
    await page.close();
  });

  test('no script errors on the page', () => {
    assert.deepEqual(pageErrors, []);
  });
});
