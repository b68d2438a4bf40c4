// Browser tests of the gauge of public opinion (web/gauge.js) on the moderators' dashboard and
// the executives' page, against the real server: the charts draw with the event's data
// (uPlot canvases with a series per state, the largest group, the separating words, the
// languages), an executive sees approved questions only and no words, reopening the panel
// shows what arrived meanwhile, and an open panel follows the live stream (a new question on
// the dashboard, an approval on the executives' page) without a reload. Saves $TRIBUNE_ARTIFACTS_DIR/gauge-dashboard.png and
// gauge-executive.png.
// Run: node --test tests/browser/gauge.test.mjs   (see support.mjs)

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { apiClient, launchBrowser, outputDir, startServer } from './support.mjs';

const WAIT = { timeout: 15000 };
const slug = `gauge-${Date.now().toString(36)}`;

const APPROVE = [
  'When will the new library open in the old post office?',
  'How much of the budget goes to the library this year?',
  'Will the library budget cover longer opening hours?',
  'Is the library budget safe after the election?',
  'Quand la nouvelle bibliothèque ouvrira-t-elle ses portes ?',
];
const REJECT = [
  'The council is corrupt and this scandal proves it',
  'Another corrupt scandal from the same council',
  'Corrupt council, corrupt scandal, resign now',
  'When does the corrupt council answer for the scandal?',
];
const DUPLICATE = 'What will the council do about potholes on Main Street?';

describe('gauge of public opinion', { timeout: 180000 }, () => {
  let server;
  let admin;
  let moderator;
  let mo;
  let erin;
  const errors = [];

  const watch = (p, name) => {
    p.on('pageerror', (e) => errors.push(`${name}: ${e.message}`));
    p.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(`${name}: ${m.text()}`);
    });
  };
  const decide = async (id, action) => {
    const d = await moderator.post(`/api/v1/questions/${id}/decision`, { action });
    assert.equal(d.status, 200, JSON.stringify(d.body));
  };
  const ask = async (text) => {
    const r = await admin.post(`/api/v1/events/${slug}/questions`, { text });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
  };
  // Opens the gauge and waits for its first drawing (data-draws counts them).
  const openGauge = async (page) => {
    const before = Number(await page.$eval('#gauge', (d) => d.dataset.draws));
    await page.click('#gauge > summary');
    await page.waitForFunction((n) => Number(document.querySelector('#gauge').dataset.draws) > n, before, WAIT);
  };
  const barLabels = (page, kind) =>
    page.$$eval(`#gauge .gauge-${kind} .gauge-bar-label`, (els) => els.map((e) => e.textContent));
  // The series in a chart's legend (the time axis has no entry when the legend is not live).
  const legend = (page, kind) =>
    page.$$eval(`#gauge .gauge-${kind} .u-legend .u-series .u-label`, (els) =>
      els.map((e) => e.textContent).filter((t) => t && t !== 'Time'));

  before(async () => {
    server = await startServer();
    admin = apiClient(server.base, server.token);
    const ev = await admin.post('/api/v1/events', { slug, title: 'Town hall', premoderate: true });
    assert.equal(ev.status, 201, JSON.stringify(ev.body));
    const mod = await admin.post('/api/v1/tokens', { name: 'mo', role: 'moderator', event: slug });
    moderator = apiClient(server.base, mod.body.token);
    // Pre-moderated: everything waits for a human, whatever the classifier says.
    for (const text of APPROVE) await decide((await ask(text)).id, 'approve');
    for (const text of REJECT) {
      const q = await ask(text);
      if (q.status !== 'auto_rejected') await decide(q.id, 'reject');
    }
    for (let i = 0; i < 4; i++) await ask(DUPLICATE);
    mo = await launchBrowser(server, 'mo-browser', { viewport: { width: 1440, height: 1000 } });
    erin = await launchBrowser(server, 'erin', { role: 'executive', viewport: { width: 1440, height: 1000 } });
  });

  after(async () => {
    if (mo) await mo.close();
    if (erin) await erin.close();
    if (server) await server.stop();
  });

  test('the dashboard draws every chart with the event\'s data', async () => {
    const page = await mo.context.newPage();
    watch(page, 'mo');
    await page.goto(`${server.base}/?event=${slug}`);
    await openGauge(page);
    // uPlot's canvases, with a series per state in the legend.
    assert.equal(await page.locator('#gauge .gauge-arrivals canvas').count(), 1);
    assert.equal(await page.locator('#gauge .gauge-attributes canvas').count(), 1);
    const states = await legend(page, 'arrivals');
    for (const s of ['pending', 'approved', 'rejected', 'held']) assert.ok(states.includes(s), states.join(','));
    const attrs = await legend(page, 'attributes');
    assert.ok(attrs.includes('toxicity'), attrs.join(','));
    // The chart's canvas has been drawn on.
    const inked = await page.$eval('#gauge .gauge-arrivals canvas', (c) => {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
      return n;
    });
    assert.ok(inked > 100, `pixels drawn: ${inked}`);
    // The largest group first; the separating words; the languages.
    const groups = await barLabels(page, 'groups');
    assert.equal(groups[0], DUPLICATE);
    const words = await barLabels(page, 'words');
    assert.ok(words.some((w) => w === '✕ corrupt'), words.join(','));
    assert.ok(words.some((w) => w === '✓ library'), words.join(','));
    const langs = await barLabels(page, 'languages');
    assert.ok(langs.includes('en') && langs.includes('fr'), langs.join(','));
    const note = await page.textContent('#gauge .gauge-note');
    assert.match(note, /^13 questions/);
    await page.locator('#gauge').screenshot({ path: join(outputDir(), 'gauge-dashboard.png') });

    // Reopened, the panel shows what arrived meanwhile.
    for (let i = 0; i < 5; i++) await ask('Why are the tram fares going up again?');
    await page.click('#gauge > summary');
    await openGauge(page);
    assert.equal((await barLabels(page, 'groups'))[0], 'Why are the tram fares going up again?');
    assert.match(await page.textContent('#gauge .gauge-note'), /^18 questions/);
    await page.close();
  });

  test('an executive sees approved questions only, and no words', async () => {
    const page = await erin.context.newPage();
    watch(page, 'erin');
    await page.goto(`${server.base}/executive?event=${slug}`);
    await openGauge(page);
    assert.deepEqual((await legend(page, 'arrivals')).sort(), ['answered', 'approved']);
    assert.equal(await page.locator('#gauge .gauge-words').isHidden(), true);
    assert.equal(await page.locator('#gauge .gauge-attributes').isHidden(), true);
    const groups = await barLabels(page, 'groups');
    for (const text of REJECT) assert.ok(!groups.includes(text));
    assert.match(await page.textContent('#gauge .gauge-note'), /^5 questions \(approved and answered\)/);
    await page.locator('#gauge').screenshot({ path: join(outputDir(), 'gauge-executive.png') });
    await page.close();
  });

  test('the charts follow the live stream, without a reload and before their timer', async () => {
    const page = await mo.context.newPage();
    watch(page, 'mo');
    await page.goto(`${server.base}/?event=${slug}`);
    await openGauge(page);
    const exec = await erin.context.newPage();
    watch(exec, 'erin');
    await exec.goto(`${server.base}/executive?event=${slug}`);
    await openGauge(exec);
    const total = async (p) => Number((await p.textContent('#gauge .gauge-note')).match(/^(\d+) question/)[1]);
    const before = await total(page);
    const publicBefore = await total(exec);
    // A drawing asked for by the stream (data-cause), showing the new total: the timer
    // (a minute) and the opening drawing cannot be it.
    const drawnByStream = (p, n) =>
      p.waitForFunction(
        (want) => {
          const d = document.querySelector('#gauge');
          return d.dataset.cause === 'stream' && d.querySelector('.gauge-note').textContent.startsWith(`${want} question`);
        },
        n,
        WAIT,
      );
    const texts = ['How will the ferry timetable change in winter?', 'Will the ferry run on Sundays in winter?', 'Is the winter ferry timetable final?'];
    const asked = [];
    for (const text of texts) asked.push(await ask(text));
    await drawnByStream(page, before + 3);
    // The executive's charts count approved questions only: they move with an approval.
    await decide(asked[0].id, 'approve');
    await drawnByStream(exec, publicBefore + 1);
    assert.match(await page.textContent('#gauge .gauge-note'), new RegExp(`^${before + 3} questions`));
    await exec.close();
    await page.close();
  });

  test('no errors on the pages', () => {
    assert.deepEqual(errors, []);
  });
});
