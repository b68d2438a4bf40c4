// Browser test of issue 10 part 3 on the dashboard: the header says how many decisions the
// event's correction learned from, and a question the correction moved says so on its card
// ("Learned -d, was Pending"). The server runs the shipped model (tribune serve's default).
// Run: node --test tests/browser/dashboard_learning.test.mjs   (see support.mjs)

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiClient, moderatorClient, serverWithModerators } from './support.mjs';

const WAIT = { timeout: 10000 };
const slug = `learn-${Date.now().toString(36)}`;
const card = (id) => `#list .card[data-id="${id}"]`;

const NOUNS = ['mortgages', 'savings', 'pensions', 'paychecks', 'homes', 'farms', 'tuition', 'rent', 'wages', 'dividends',
  'deposits', 'bonuses', 'benefits', 'healthcare', 'loans', 'credit', 'insurance', 'stocks', 'retirement', 'taxes'];
const PLACES = ['Detroit', 'Cleveland', 'Memphis', 'Baltimore', 'Newark', 'Camden', 'Flint', 'Gary', 'Toledo', 'Akron'];
const VERBS = ['steals', 'drains', 'eats', 'wants', 'devours'];
const nickname = NOUNS.map((n, i) => `Dimon the bloodsucker ${VERBS[i % 5]} our ${n}`);
const pointed = PLACES.flatMap((p) => [
  `Why do you keep closing branches in poor neighbourhoods of ${p} while paying huge bonuses?`,
  `Will you lay off more people in ${p} this year while paying huge bonuses?`,
]);

let api;
let alice;
const pageErrors = [];

async function post(text) {
  const res = await api.post(`/api/v1/events/${slug}/questions`, { text, author: 'ana' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

async function decideAll(texts, action) {
  const qs = [];
  for (const t of texts) qs.push(await post(t));
  for (const q of qs) {
    const r = await alice.post(`/api/v1/questions/${q.id}/decision`, { action });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  }
}

describe('learning on the dashboard', { timeout: 120000 }, () => {
  const env = serverWithModerators('bob');  // bob: the moderator in the browser

  before(async () => {
    const server = env.server;
    api = apiClient(server.base, server.token);
    const ev = await api.post('/api/v1/events', { slug, title: 'Learning test' });
    assert.equal(ev.status, 201, JSON.stringify(ev.body));
    // Inheritance off: the probe is triaged on its own scores and the correction.
    const pol = await api.put(`/api/v1/events/${slug}/policy`, { inherit_group_decisions: false });
    assert.equal(pol.status, 200, JSON.stringify(pol.body));
    alice = await moderatorClient(server, slug, 'alice');
  });

  test('the header counts the decisions learned from; a moved question says by how much', async () => {
    const page = await env.bob.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${env.server.base}/?event=${slug}`);
    await page.waitForSelector('#conn[data-state="live"]', WAIT);
    await page.waitForSelector('#learned:not([hidden])', WAIT);
    assert.equal((await page.textContent('#learned')).trim(), 'Learned from 0 decisions');

    await decideAll(nickname, 'reject');
    await decideAll(pointed, 'approve');
    const learned = await api.get(`/api/v1/events/${slug}/learning`);
    const n = learned.body.learned_from.decisions;
    assert.ok(n >= 30, JSON.stringify(learned.body));

    // A pointed question like those approved, just inside the model's review band: approved now.
    const probe = await post('Why do you keep closing branches in poor neighborhoods of Springfield while paying huge bonuses?');
    assert.equal(probe.status, 'approved', JSON.stringify(probe));
    assert.equal(probe.event_correction.moved_from, 'pending');

    await page.reload();
    await page.waitForSelector('#conn[data-state="live"]', WAIT);
    await page.waitForFunction((text) => document.querySelector('#learned')?.textContent === text, `Learned from ${n} decisions`, WAIT);
    await page.keyboard.press('2'); // the Approved tab
    await page.waitForSelector(card(probe.id), WAIT);
    const note = page.locator(`${card(probe.id)} .correction`);
    assert.match(await note.getAttribute('class'), /c-moved/);
    assert.match(await note.textContent(), /^Learned -\d\.\d\d, was Pending$/);
    assert.deepEqual(pageErrors, []);
    await page.close();
  });
});
