// Browser test of the event settings panel on the moderators' dashboard (web/event_settings.js)
// against the real server: only an admin sees it; each switch applies at once (the server's
// settings change, and an audience page already open follows when it is looked at again:
// name required, questions closed, page off and on again); the public display link opens the
// display to anyone; a display token made in the panel reads the display only; another
// admin's change shows in the panel; a refused change puts the switch back and says why. Saves $TRIBUNE_ARTIFACTS_DIR/event-settings.png.
// Run: node --test tests/browser/event_settings.test.mjs   (see support.mjs)

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { apiClient, launchBrowser, outputDir, startServer } from './support.mjs';

const WAIT = { timeout: 20000 };
const slug = `settings-${Date.now().toString(36)}`;
const NAMES = ['audience_off', 'questions_closed', 'name_required', 'display_public', 'anonymous', 'executives_see_scores'];

describe('event settings panel', { timeout: 180000 }, () => {
  let server;
  let admin;
  let root; // the admin's browser
  let mo; // a moderator's browser
  let phone; // the audience
  let page;
  let audience;
  const errors = [];
  const watch = (p, name) => p.on('pageerror', (e) => errors.push(`${name}: ${e.message}`));

  // The switches as the panel shows them.
  const shown = () =>
    page.$$eval('#event-settings input[type=checkbox]', (els) => Object.fromEntries(els.map((e) => [e.name, e.checked])));
  // Flips one switch and waits for the server's answer to be shown.
  const flip = async (name) => {
    await page.click(`#setting-${name}`);
    await page.waitForFunction(
      (n) => document.querySelector('#event-settings').dataset.state === 'ready' && !document.querySelector(`#setting-${n}`).disabled,
      name,
      WAIT,
    );
  };
  const serverSettings = async () => {
    const r = await admin.get(`/api/v1/events/${slug}/settings`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  };
  // The audience page looked at again (a phone unlocked, a tab brought back).
  const lookAgain = () => audience.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));

  before(async () => {
    server = await startServer();
    admin = apiClient(server.base, server.token);
    const ev = await admin.post('/api/v1/events', { slug, title: 'Settings hall' });
    assert.equal(ev.status, 201, JSON.stringify(ev.body));
    root = await launchBrowser(server, null, { viewport: { width: 1440, height: 1000 } });
    mo = await launchBrowser(server, 'mo');
    phone = await launchBrowser(null, null, { viewport: { width: 360, height: 740 } });
  });

  after(async () => {
    for (const b of [root, mo, phone]) if (b) await b.close();
    if (server) await server.stop();
  });

  test('a moderator has no settings panel', async () => {
    const p = await mo.context.newPage();
    watch(p, 'mo');
    await p.goto(`${server.base}/?event=${slug}`);
    await p.waitForSelector('#identity:not([hidden])', WAIT);
    assert.equal(await p.textContent('#identity .who-role'), 'moderator');
    assert.equal(await p.isHidden('#event-settings'), true);
    // Nor may it change them.
    const tok = await admin.post('/api/v1/tokens', { name: 'mo2', role: 'moderator', event: slug });
    const r = await apiClient(server.base, tok.body.token).put(`/api/v1/events/${slug}/settings`, { audience_off: true });
    assert.equal(r.status, 403);
    await p.close();
  });

  test('an admin\'s switches apply at once; an open audience page follows', async () => {
    page = await root.context.newPage();
    watch(page, 'root');
    await page.goto(`${server.base}/?event=${slug}`);
    await page.waitForSelector('#event-settings:not([hidden])', WAIT);
    await page.click('#event-settings > summary');
    await page.waitForFunction(() => document.querySelector('#event-settings').dataset.state === 'ready', null, WAIT);
    assert.deepEqual(await shown(), Object.fromEntries(NAMES.map((n) => [n, false])));
    // The links to send.
    assert.equal(await page.getAttribute('#event-settings [data-link="Audience"] a', 'href'), `/e/${slug}`);
    assert.equal(await page.getAttribute('#event-settings [data-link="Display"] a', 'href'), `/display/${slug}`);
    assert.match(await page.textContent('#event-settings [data-link="Display"]'), /needs a display token/);

    audience = await phone.context.newPage();
    watch(audience, 'audience');
    await audience.goto(`${server.base}/e/${slug}`);
    await audience.waitForSelector('#a-ask-box:not([hidden])', WAIT);
    assert.equal(await audience.textContent('#a-name-hint'), '(optional)');

    await flip('name_required');
    assert.equal((await serverSettings()).name_required, true);
    assert.match(await page.textContent('#event-settings .settings-message'), /Name required: on/);
    await lookAgain();
    await audience.waitForFunction(() => document.querySelector('#a-name-hint').textContent === '(required)', null, WAIT);

    await flip('questions_closed');
    assert.equal((await serverSettings()).questions_closed, true);
    await lookAgain();
    await audience.waitForSelector('#a-closed:not([hidden])', WAIT);
    assert.equal(await audience.isHidden('#a-ask-box'), true);

    await flip('audience_off');
    assert.equal((await serverSettings()).audience_off, true);
    await lookAgain();
    await audience.waitForSelector('#a-notice:not([hidden])', WAIT);
    assert.match(await audience.textContent('#a-notice'), /closed/);

    // On again, and questions open again: the page is back without a reload.
    await flip('audience_off');
    await flip('questions_closed');
    await lookAgain();
    await audience.waitForSelector('#a-ask-box:not([hidden])', WAIT);
    assert.equal(await audience.isHidden('#a-notice'), true);
    assert.deepEqual(await shown(), { ...Object.fromEntries(NAMES.map((n) => [n, false])), name_required: true });
  });

  test('a display token made in the panel reads the display and nothing else', async () => {
    await page.click('#settings-display-token');
    await page.waitForSelector('#event-settings .settings-token-value', WAIT);
    const token = await page.textContent('#event-settings .settings-token-value');
    assert.match(token, /^trb_/);
    assert.equal(
      await page.getAttribute('#event-settings .settings-token a', 'href'),
      `/login?next=${encodeURIComponent(`/display/${slug}`)}`,
    );
    const room = apiClient(server.base, token);
    assert.equal((await room.get(`/api/v1/events/${slug}/display`)).status, 200);
    assert.equal((await room.get(`/api/v1/events/${slug}/questions`)).status, 403);
  });

  test('the public display link opens the display to anyone; executives may be shown scores', async () => {
    const anyone = apiClient(server.base);
    assert.equal((await anyone.get(`/api/v1/events/${slug}/display`)).status, 401);
    await flip('display_public');
    assert.equal((await anyone.get(`/api/v1/events/${slug}/display`)).status, 200);
    assert.match(await page.textContent('#event-settings [data-link="Display"]'), /public/);
    const shot = await phone.context.newPage();
    await shot.goto(`${server.base}/display/${slug}`);
    await shot.waitForSelector('body', WAIT);
    await shot.close();

    const q = await admin.post(`/api/v1/events/${slug}/questions`, { text: 'When will the new ferry timetable start?' });
    assert.equal(q.status, 201, JSON.stringify(q.body));
    if (q.body.status !== 'approved') await admin.post(`/api/v1/questions/${q.body.id}/decision`, { action: 'approve' });
    const tok = await admin.post('/api/v1/tokens', { name: 'erin', role: 'executive', event: slug });
    const erin = apiClient(server.base, tok.body.token);
    assert.equal((await erin.get(`/api/v1/questions/${q.body.id}`)).body.scores, undefined);
    await flip('executives_see_scores');
    assert.equal(typeof (await erin.get(`/api/v1/questions/${q.body.id}`)).body.scores, 'object');
    await flip('anonymous');
    assert.equal((await serverSettings()).anonymous, true);
    await page.locator('#event-settings').screenshot({ path: join(outputDir(), 'event-settings.png') });
  });

  test('another admin\'s change shows; a refused change puts the switch back', async () => {
    const r = await admin.put(`/api/v1/events/${slug}/settings`, { anonymous: false, questions_closed: true });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await page.waitForFunction(
      () => document.querySelector('#setting-questions_closed').checked && !document.querySelector('#setting-anonymous').checked,
      null,
      WAIT,
    );

    await page.route('**/api/v1/events/*/settings', (route) =>
      route.request().method() === 'PUT'
        ? route.fulfill({
            status: 503,
            contentType: 'application/json',
            body: JSON.stringify({ error: { code: 'unavailable', message: 'try again' } }),
          })
        : route.continue(),
    );
    await page.click('#setting-audience_off');
    await page.waitForFunction(() => document.querySelector('#event-settings').dataset.state === 'error', null, WAIT);
    assert.equal(await page.isChecked('#setting-audience_off'), false, 'the switch is put back');
    assert.match(await page.textContent('#event-settings .settings-message'), /Not changed: try again \(unavailable\)/);
    assert.equal((await serverSettings()).audience_off, false);
    await page.unroute('**/api/v1/events/*/settings');
    assert.deepEqual(errors, []);
  });
});
