// Browser tests of the room's display (web/display.html) against the real server: signed in
// with a display token, a question set "answering now" appears without reload with its asker
// and how many asked the same; after the server restarts (same port, same database) the page
// reconnects by itself and follows the next change; the public link, once an admin turns it
// on, shows the display without a token; a network drop that nobody closes (a proxy that stops
// carrying anything) is noticed by the page, which reconnects once the network is back. Saves $TRIBUNE_ARTIFACTS_DIR/display.png and
// display-public.png.
// Run: node --test tests/browser/display.test.mjs   (see support.mjs)

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { apiClient, launchBrowser, outputDir, startFreezableProxy, startServer } from './support.mjs';

const WAIT = { timeout: 20000 };
// A silent drop is noticed after 10 s without a message; a reconnect through a dead network
// gives up after 10 s; then a back-off of at most 5 s.
const DROP_WAIT = { timeout: 45000 };
const slug = `room-${Date.now().toString(36)}`;
const SCREEN = { width: 1280, height: 720 };

describe('room display', { timeout: 180000 }, () => {
  let server;
  let admin;
  let exec;
  let room; // browser signed in with the display token
  let page;
  const ids = [];
  const errors = [];

  const answerNow = async (id) => {
    const add = await exec.post(`/api/v1/events/${slug}/shortlist`, { question_id: id });
    assert.equal(add.status, 200, JSON.stringify(add.body));
    const now = await exec.patch(`/api/v1/events/${slug}/shortlist/${id}`, { answering_now: true });
    assert.equal(now.status, 200, JSON.stringify(now.body));
  };

  before(async () => {
    server = await startServer();
    admin = apiClient(server.base, server.token);
    const ev = await admin.post('/api/v1/events', { slug, title: 'Town hall, spring' });
    assert.equal(ev.status, 201, JSON.stringify(ev.body));
    const t = await admin.post('/api/v1/tokens', { name: 'erin', role: 'executive', event: slug });
    exec = apiClient(server.base, t.body.token);
    for (const [text, author] of [
      ['When will you lower the overdraft fees for students and pensioners?', 'ana'],
      ['What happens to the Elm Street branch after the merger?', 'bo'],
      ['Will the mobile app support paying by QR code?', 'cy'],
    ]) {
      const r = await admin.post(`/api/v1/events/${slug}/questions`, { text, author });
      assert.equal(r.body.status, 'approved', JSON.stringify(r.body));
      ids.push(r.body.id);
    }
    const screen = await admin.post('/api/v1/tokens', { name: 'room', role: 'display', event: slug });
    assert.equal(screen.status, 201);
    room = await launchBrowser(null, null, { viewport: SCREEN });
    // Sign in the way a person at the screen does: the display token on the sign-in page.
    const signin = await room.context.newPage();
    await signin.goto(`${server.base}/login?next=/display/${slug}`);
    await signin.fill('#token', screen.body.token);
    await signin.click('#login-form button[type="submit"]');
    await signin.waitForURL(`**/display/${slug}`, WAIT);
    page = signin;
    page.on('pageerror', (e) => errors.push(e.message));
  });

  after(async () => {
    if (room) await room.close();
    if (server) await server.stop();
  });

  test('a question set "answering now" appears without reload, with its asker and how many asked', async () => {
    await page.waitForSelector('#d-conn[data-state="live"]', WAIT);
    await page.waitForSelector('#d-idle:not([hidden])', WAIT);
    assert.equal(await page.textContent('#d-event'), 'Town hall, spring');
    await page.evaluate(() => {
      window.__notReloaded = true;
    });
    await answerNow(ids[0]);
    await page.waitForFunction((id) => document.querySelector('#d-text')?.dataset.id === String(id), ids[0], WAIT);
    assert.equal(await page.textContent('#d-text'), 'When will you lower the overdraft fees for students and pensioners?');
    assert.equal(await page.textContent('#d-asker'), 'ana');
    // Someone asks the same: "and 1 other asked this".
    await admin.post(`/api/v1/events/${slug}/questions`, {
      text: 'when will u lower the overdraft fees for students and pensioners??',
      author: 'dee',
    });
    await page.waitForFunction(() => /and 1 other asked this/.test(document.querySelector('#d-asked').textContent), null, WAIT);
    // The next ones on the shortlist.
    for (const id of ids.slice(1)) await exec.post(`/api/v1/events/${slug}/shortlist`, { question_id: id });
    await page.waitForFunction(() => document.querySelectorAll('#d-next-list li').length === 2, null, WAIT);
    assert.equal(await page.evaluate(() => window.__notReloaded), true);
    await page.screenshot({ path: join(outputDir(), 'display.png') });
  });

  test('after a server restart the page reconnects by itself and follows the next change', async () => {
    // Every state the connection goes through, from now on.
    await page.evaluate(() => {
      window.__states = [];
      const box = document.querySelector('#d-conn');
      new MutationObserver(() => window.__states.push(box.dataset.state)).observe(box, { attributes: true });
    });
    await server.restart();
    // The page notices the drop, backs off, reconnects and is live again, all by itself.
    await page.waitForFunction(() => window.__states.includes('waiting') && window.__states.at(-1) === 'live', null, WAIT);
    const now = await exec.patch(`/api/v1/events/${slug}/shortlist/${ids[1]}`, { answering_now: true });
    assert.equal(now.status, 200, JSON.stringify(now.body));
    await page.waitForFunction((id) => document.querySelector('#d-text')?.dataset.id === String(id), ids[1], WAIT);
    assert.equal(await page.textContent('#d-asker'), 'bo');
    assert.equal(await page.evaluate(() => window.__notReloaded), true, 'no reload');
    assert.deepEqual(errors, []);
  });

  test('the public link shows the display without a token once an admin turns it on, naming nobody when anonymous', async () => {
    const anon = await launchBrowser(null, null, { viewport: SCREEN });
    try {
      const p = await anon.context.newPage();
      await p.goto(`${server.base}/display/${slug}`);
      await p.waitForURL('**/login?next=*', WAIT); // not public yet: sign in first
      const on = await admin.put(`/api/v1/events/${slug}/settings`, { display_public: true, anonymous: true });
      assert.equal(on.status, 200, JSON.stringify(on.body));
      await p.goto(`${server.base}/display/${slug}?next=2`);
      await p.waitForFunction((id) => document.querySelector('#d-text')?.dataset.id === String(id), ids[1], WAIT);
      assert.equal(await p.isHidden('#d-asker'), true, 'an anonymous event names nobody');
      // The signed-in display reconnected under the new settings too.
      await page.waitForFunction(() => document.querySelector('#d-asker').hidden, null, WAIT);
      await p.screenshot({ path: join(outputDir(), 'display-public.png') });
    } finally {
      await anon.close();
    }
  });

  test('a network drop nobody closes: the page notices the silence and reconnects once the network is back', async () => {
    const proxy = await startFreezableProxy(server.base);
    const p = await room.context.newPage();
    try {
      p.on('pageerror', (e) => errors.push(e.message));
      await p.goto(`${proxy.base}/display/${slug}`);
      await p.waitForSelector('#d-conn[data-state="live"]', WAIT);
      await p.waitForFunction((id) => document.querySelector('#d-text')?.dataset.id === String(id), ids[1], WAIT);
      await p.evaluate(() => {
        window.__notReloaded = true;
        window.__states = [];
        const box = document.querySelector('#d-conn');
        new MutationObserver(() => window.__states.push(box.dataset.state)).observe(box, { attributes: true });
      });
      proxy.freeze();
      // Meanwhile the executives move on: the page cannot hear it.
      const now = await exec.patch(`/api/v1/events/${slug}/shortlist/${ids[2]}`, { answering_now: true });
      assert.equal(now.status, 200, JSON.stringify(now.body));
      await p.waitForFunction(() => window.__states.includes('waiting'), null, DROP_WAIT);
      assert.equal(await p.getAttribute('#d-text', 'data-id'), String(ids[1]), 'nothing arrived while frozen');
      proxy.thaw();
      await p.waitForFunction((id) => document.querySelector('#d-text')?.dataset.id === String(id), ids[2], DROP_WAIT);
      await p.waitForSelector('#d-conn[data-state="live"]', WAIT);
      assert.equal(await p.evaluate(() => window.__notReloaded), true, 'no reload');
      assert.deepEqual(errors, []);
    } finally {
      await p.close();
      await proxy.close();
    }
  });
});
