// Browser test of the audience's page (web/audience.html at /e/SLUG, no token) against the
// real server, on a phone-sized 360x740 viewport: ask -> "Waiting for review" -> a moderator
// approves through the API -> "Approved" (without reload) -> upvote once; the page fits the
// width, remembers one's questions and votes across a reload, pages through the approved
// questions (the next page when the end of the list comes into view), shows a 429's Retry-After in words, and says so when questions are
// closed, the audience page is off or the event is unknown. Saves
// $TRIBUNE_ARTIFACTS_DIR/audience.png.
// Run: node --test tests/browser/audience.test.mjs   (see support.mjs)

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { apiClient, launchBrowser, outputDir, startServer } from './support.mjs';

const WAIT = { timeout: 20000 };
const slug = `hall-${Date.now().toString(36)}`;
const PHONE = { width: 360, height: 740 };
const SEEDED = 55; // more than one page of 50

describe('audience page', { timeout: 240000 }, () => {
  let server;
  let admin;
  let phone;
  let page;
  let asked; // the id of the question asked through the page
  const errors = [];

  before(async () => {
    server = await startServer();
    admin = apiClient(server.base, server.token);
    // Pre-moderated: every question waits for a moderator.
    const ev = await admin.post('/api/v1/events', { slug, title: 'Town hall, spring', premoderate: true });
    assert.equal(ev.status, 201, JSON.stringify(ev.body));
    for (let i = 0; i < SEEDED; i += 1) {
      const r = await admin.post(`/api/v1/events/${slug}/questions`, {
        text: `Seeded question number ${i + 1}: how will branch ${i + 1} change next year?`,
        author: `seed${i + 1}`,
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const d = await admin.post(`/api/v1/questions/${r.body.id}/decision`, { action: 'approve' });
      assert.equal(d.status, 200, JSON.stringify(d.body));
    }
    phone = await launchBrowser(null, null, { viewport: PHONE });
    page = await phone.context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
  });

  after(async () => {
    if (phone) await phone.close();
    if (server) await server.stop();
  });

  test('ask -> waiting for review -> approved by a moderator -> upvote, on a 360 px screen', async () => {
    await page.goto(`${server.base}/e/${slug}`);
    await page.waitForSelector('#a-open:not([hidden])', WAIT);
    assert.equal(await page.textContent('#a-title'), 'Town hall, spring');
    await page.waitForFunction(() => document.querySelectorAll('#a-list .a-item').length === 50, null, WAIT);
    // Nothing wider than the phone.
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'no sideways scrolling');

    await page.fill('#a-text', 'Will the branch on Elm Street stay open after the merger?');
    await page.fill('#a-author', 'Ana');
    await page.click('#a-send');
    await page.waitForSelector('#a-mine .a-own', WAIT);
    const own = page.locator('#a-mine .a-own').first();
    asked = Number(await own.getAttribute('data-id'));
    assert.ok(asked > 0);
    assert.equal(await own.getAttribute('data-status'), 'held');
    assert.equal(await own.locator('.a-own-status').textContent(), 'Waiting for review');
    assert.equal(await page.inputValue('#a-text'), '', 'the form is cleared');
    await page.evaluate(() => {
      window.__notReloaded = true;
    });

    // A moderator approves it through the API; the page notices by itself.
    const d = await admin.post(`/api/v1/questions/${asked}/decision`, { action: 'approve' });
    assert.equal(d.status, 200, JSON.stringify(d.body));
    await page.waitForSelector(`#a-mine .a-own[data-id="${asked}"][data-status="approved"]`, WAIT);
    assert.match(await own.locator('.a-own-status').textContent(), /^Approved/);
    // Now in the list ("Newest" puts it first), where it can be voted for, once.
    await page.click('#a-sort-newest');
    const item = page.locator(`#a-list .a-item[data-id="${asked}"]`);
    await item.waitFor(WAIT);
    assert.equal(await page.locator('#a-list .a-item').first().getAttribute('data-id'), String(asked));
    await item.locator('.a-vote').click();
    await page.waitForSelector(`#a-list .a-item[data-id="${asked}"] .a-vote[aria-pressed="true"]`, WAIT);
    assert.equal(await item.locator('.a-votes').textContent(), '1');
    assert.equal(await item.locator('.a-vote').isDisabled(), true, 'one vote per participant');
    const q = await admin.get(`/api/v1/questions/${asked}`);
    assert.equal(q.body.votes, 1);
    assert.equal(q.body.author, 'Ana');
    assert.equal(await page.evaluate(() => window.__notReloaded), true, 'no reload');
    await page.screenshot({ path: join(outputDir(), 'audience.png'), fullPage: false });
  });

  test('a reload remembers one\'s questions and votes; the server counts a repeated vote once', async () => {
    await page.reload();
    await page.waitForSelector(`#a-mine .a-own[data-id="${asked}"][data-status="approved"]`, WAIT);
    const vote = page.locator(`#a-list .a-item[data-id="${asked}"] .a-vote`);
    await vote.waitFor(WAIT);
    assert.equal(await vote.getAttribute('aria-pressed'), 'true');
    // Even a browser that forgot its votes (the same participant) counts once.
    const participant = await page.evaluate(() => localStorage.getItem('tribune.participant'));
    const again = await apiClient(server.base).post(`/api/v1/public/questions/${asked}/vote`, { voter: participant });
    assert.equal(again.status, 200);
    assert.equal(again.body.votes, 1);
  });

  test('the end of the list brings the next page of approved questions', async () => {
    await page.click('#a-sort-votes');
    await page.waitForFunction(() => document.querySelectorAll('#a-list .a-item').length >= 50, null, WAIT);
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await page.waitForFunction((n) => document.querySelectorAll('#a-list .a-item').length === n, SEEDED + 1, WAIT);
    assert.equal(await page.isHidden('#a-more'), true, 'the last page has no "Show more"');
    const ids = await page.$$eval('#a-list .a-item', (els) => els.map((e) => e.dataset.id));
    assert.equal(new Set(ids).size, ids.length, 'no question shown twice');
  });

  test('too many votes: the wait from Retry-After is shown in words', async () => {
    // 60 writes a minute per participant, in bursts of 20: one question and one vote so far.
    let message = '';
    const buttons = page.locator('#a-list .a-vote:not([disabled])');
    for (let i = 0; i < 25 && !message; i += 1) {
      const open = await buttons.count();
      await buttons.first().click();
      await page.waitForFunction(
        (before) => document.querySelectorAll('#a-list .a-vote:not([disabled])').length < before || document.querySelector('#a-list-message').textContent !== '',
        open,
        WAIT,
      );
      message = await page.textContent('#a-list-message');
    }
    assert.match(message, /^Too many at once\. Please try again in (\d+ seconds?|about a minute)\.$/);
  });

  test('closed questions keep votes open; a page turned off or an unknown event says so', async () => {
    let r = await admin.put(`/api/v1/events/${slug}/settings`, { questions_closed: true });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    await page.reload();
    await page.waitForSelector('#a-closed:not([hidden])', WAIT);
    assert.equal(await page.isHidden('#a-ask-box'), true);
    assert.match(await page.textContent('#a-closed'), /You can still vote/);
    await page.waitForSelector('#a-list .a-item', WAIT);

    r = await admin.put(`/api/v1/events/${slug}/settings`, { audience_off: true });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    await page.reload();
    await page.waitForSelector('#a-notice:not([hidden])', WAIT);
    assert.match(await page.textContent('#a-notice'), /closed/);
    assert.equal(await page.isHidden('#a-open'), true);

    await page.goto(`${server.base}/e/no-such-event`);
    await page.waitForSelector('#a-notice:not([hidden])', WAIT);
    assert.match(await page.textContent('#a-notice'), /There is no event "no-such-event"/);
    assert.deepEqual(errors, []);
  });
});
