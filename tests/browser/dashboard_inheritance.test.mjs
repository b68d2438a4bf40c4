// Browser test of issue 10's group decisions on the dashboard: a question that inherited its
// group's rejection shows it on its card ("Group" verdict naming the group and the moderator)
// and in its audit trail ("inherited from its group"); the Review tab's default order puts the
// group that settles the most first (sort=impact).
// Run: node --test tests/browser/dashboard_inheritance.test.mjs   (see support.mjs)

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiClient, moderatorClient, serverWithModerators } from './support.mjs';

const WAIT = { timeout: 10000 };
const slug = `inh-${Date.now().toString(36)}`;
const card = (id) => `#list .card[data-id="${id}"]`;

let api;
let alice;
const pageErrors = [];

async function post(text) {
  const res = await api.post(`/api/v1/events/${slug}/questions`, { text, author: 'ana' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

describe('group decisions on the dashboard', { timeout: 120000 }, () => {
  const env = serverWithModerators('bob');  // bob: the moderator in the browser

  before(async () => {
    const server = env.server;
    api = apiClient(server.base, server.token);
    // Pre-moderated: every clean question waits in Review, whatever the model scores.
    const ev = await api.post('/api/v1/events', { slug, title: 'Inheritance test', premoderate: true });
    assert.equal(ev.status, 201, JSON.stringify(ev.body));
    alice = await moderatorClient(server, slug, 'alice');
  });

  test('a retweet of a rejected question shows the inherited verdict on its card and in its trail', async () => {
    const first = await post('When will the bank stop charging overdraft fees to students?');
    const rejected = await alice.post(`/api/v1/questions/${first.id}/decision`, { action: 'reject', reason: 'spam' });
    assert.equal(rejected.status, 200, JSON.stringify(rejected.body));
    const rt = await post('RT @sam_bull7: When will the bank stop charging overdraft fees to students? #AskJPM');
    assert.equal(rt.status, 'auto_rejected', JSON.stringify(rt));
    assert.equal(rt.cluster.id, first.id);

    const page = await env.bob.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${env.server.base}/?event=${slug}`);
    await page.waitForSelector('#conn[data-state="live"]', WAIT);
    await page.keyboard.press('3'); // the Rejected tab
    await page.waitForSelector(card(rt.id), WAIT);

    const verdict = page.locator(`${card(rt.id)} .verdict`);
    assert.match(await verdict.getAttribute('class'), /v-inherited/);
    assert.equal((await verdict.locator('.verdict-k').textContent()).trim(), 'Group');
    assert.match(await verdict.textContent(), new RegExp(`inherited: group ${first.id} rejected by alice`));
    // The question rejected by hand keeps an automatic verdict label of its own.
    assert.equal((await page.locator(`${card(first.id)} .verdict .verdict-k`).textContent()).trim(), 'Auto');

    await page.click(`${card(rt.id)} .q-text`);
    await page.waitForSelector('#details .history li', WAIT);
    const trail = page.locator('#details .history li').first();
    assert.equal((await trail.locator('.h-who').textContent()).trim(), 'triage');
    assert.equal((await trail.locator('.h-action').textContent()).trim(), 'inherited from its group');
    assert.match(await trail.locator('.h-reason').textContent(), new RegExp(`group ${first.id} rejected by alice`));
    await page.close();
  });

  test('Review opens on the group that settles the most (sort=impact)', async () => {
    const single = await post('Is the branch on Main Street open on Sundays this winter?');
    const g1 = await post('Why did the bank raise the fee for wire transfers last month?');
    const g2 = await post('RT @kim: Why did the bank raise the fee for wire transfers last month?');
    const newest = await post('What is the interest rate on the new savings account?');
    for (const q of [single, g1, g2, newest]) assert.ok(['held', 'pending'].includes(q.status), JSON.stringify(q));
    assert.equal(g2.cluster.id, g1.id);

    const page = await env.bob.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${env.server.base}/?event=${slug}`);
    await page.waitForSelector('#conn[data-state="live"]', WAIT);
    await page.waitForSelector(card(newest.id), WAIT);
    const order = await page.$$eval('#list .card', (els) => els.map((e) => Number(e.dataset.id)));
    assert.deepEqual(order.slice(0, 2), [g2.id, g1.id], `the group of two first: ${order}`);
    assert.equal(await page.inputValue('#f-sort'), '', 'the Sort filter is at Default');
    assert.deepEqual(pageErrors, []);
    await page.close();
  });
});
