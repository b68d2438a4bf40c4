// Browser test of the header's activity: the moderators watching an event and the questions
// arriving per minute, from the stream's `activity` messages (docs/api.md "View protocol").
// Run: node --test tests/browser/dashboard_activity.test.mjs   (see support.mjs)

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { apiClient, serverWithModerators } from './support.mjs';

const WAIT = { timeout: 15000 };
// Arrivals are reported every 5 s by default when they changed: allow a few periods.
const RATE_WAIT = { timeout: 30000 };
const slug = `act-${Date.now().toString(36)}`;

let env;  // {server, alice, bob}: serverWithModerators
const pageErrors = [];

async function open(browser, name) {
  const page = await browser.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(`${name}: ${e.message}`));
  await page.goto(`${env.server.base}/?event=${slug}`);
  await page.waitForSelector('#conn[data-state="live"]', WAIT);
  return page;
}

const chips = (page) =>
  page.$$eval('#activity .online .chip', (els) => els.map((e) => ({ name: e.dataset.moderator || null, text: e.textContent })));

describe('activity in the header', { timeout: 120000 }, () => {
  env = serverWithModerators('alice', 'bob');
  before(async () => {
    const api = apiClient(env.server.base, env.server.token);
    const ev = await api.post('/api/v1/events', { slug, title: 'Activity test' });
    assert.equal(ev.status, 201, JSON.stringify(ev.body));
  });

  test('(b) two moderators see each other online, and arrivals per minute rise with new questions', async () => {
    const pageA = await open(env.alice, 'alice');
    const pageB = await open(env.bob, 'bob');

    // Each sees both, itself marked "(you)" and first.
    await pageA.waitForSelector('#activity .online [data-moderator="bob"]', WAIT);
    await pageB.waitForSelector('#activity .online [data-moderator="alice"]', WAIT);
    assert.deepEqual(await chips(pageA), [
      { name: 'alice', text: 'alice (you)' },
      { name: 'bob', text: 'bob' },
    ]);
    assert.deepEqual(await chips(pageB), [
      { name: 'bob', text: 'bob (you)' },
      { name: 'alice', text: 'alice' },
    ]);
    assert.equal(await pageA.textContent('#activity .online-n'), '2 online');
    assert.match(await pageA.getAttribute('#activity .online', 'title'), /2 moderators online: alice \(you\), bob/);
    assert.equal(await pageA.getAttribute('#activity .online [data-moderator="bob"]', 'title'), 'bob, moderator');

    // Nothing has arrived yet.
    assert.equal(await pageA.textContent('#activity .rate-n'), '0');

    // Questions arrive: the rate becomes positive on both pages.
    const api = apiClient(env.server.base, env.server.token);
    for (let i = 0; i < 5; i++) {
      const r = await api.post(`/api/v1/events/${slug}/questions`, { text: `Arrival ${i}: what about the fees?` });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    const positive = () => Number(document.querySelector('#activity .rate-n').textContent.replace(/\D/g, '')) > 0;
    await pageA.waitForFunction(positive, null, RATE_WAIT);
    await pageB.waitForFunction(positive, null, RATE_WAIT);
    assert.match(await pageA.textContent('#activity .rate'), /^\d+\/min$/);

    // Bob leaves: Alice's header drops him.
    await pageB.close();
    await pageA.waitForSelector('#activity .online [data-moderator="bob"]', { state: 'detached', ...WAIT });
    assert.deepEqual(await chips(pageA), [{ name: 'alice', text: 'alice (you)' }]);
    assert.equal(await pageA.textContent('#activity .online-n'), '1 online');
    await pageA.close();
  });

  test('many moderators: a few chips and a count whose title names the rest', async () => {
    const page = await open(env.alice, 'alice');
    // The header's renderer, fed a long list, on a copy of the header's activity box.
    const out = await page.evaluate(async () => {
      const views = await import('/views.js');
      const box = document.querySelector('#activity').cloneNode(true);
      const names = ['zoe', 'yann', 'alice', 'bob', 'carl', 'dina', 'ed'];
      const moderators = names.map((name) => ({ name, role: name === 'ed' ? 'admin' : 'moderator', connections: 1 }));
      views.renderActivity(box, { moderators, arrivalsPerMinute: 12 }, { name: 'alice' }, true);
      return {
        chips: [...box.querySelectorAll('.online .chip')].map((c) => c.textContent),
        more: box.querySelector('.chip-more')?.title,
        count: box.querySelector('.online-n').textContent,
        rate: box.querySelector('.rate').textContent,
      };
    });
    assert.deepEqual(out.chips, ['alice (you)', 'bob', 'carl', '+4 more']);
    assert.equal(out.more, 'dina, moderator\ned, admin\nyann, moderator\nzoe, moderator');
    assert.equal(out.count, '7 online');
    assert.equal(out.rate, '12/min');
    await page.close();
  });

  test('no script errors on the pages', () => {
    assert.deepEqual(pageErrors, []);
  });
});
