// Browser tests of the executives' page (web/executive.html) against the real server: the
// ranking, starring, reordering the shortlist by keys and by drag, "answering now", a note, a
// second executive's page following along, and a question a moderator approves appearing
// without reload. Saves $TRIBUNE_ARTIFACTS_DIR/executive.png.
// Run: node --test tests/browser/executive.test.mjs   (see support.mjs)

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { apiClient, launchBrowser, outputDir, startServer } from './support.mjs';

const WAIT = { timeout: 15000 };
const slug = `ex-${Date.now().toString(36)}`;

const QUESTIONS = [
  { text: 'When will you lower the overdraft fees?', author: 'ana' },
  { text: 'What is the plan for the Elm Street branch?', author: 'bo' },
  { text: 'Will the mobile app get a dark mode this year?', author: 'cy' },
  { text: 'How will the merger change the savings rate for pensioners?', author: 'dee' },
  { text: 'when will u lower overdraft fees??', author: 'eli' },
];
// Approved, but not a question: "hide what is not a question" hides it.
const STATEMENT = 'Thank you all for a great year, the new branch looks wonderful.';

describe('executive page', { timeout: 180000 }, () => {
  let server;
  let admin;
  let moderator;
  let erin; // browser signed in as the executive erin
  let frank; // a second executive
  let page;
  let other;
  const ids = [];
  const errors = [];

  const shortlistIds = async (p = page) =>
    p.$$eval('#x-shortlist .x-entry', (els) => els.map((e) => Number(e.dataset.id)));
  const apiShortlist = async () =>
    (await admin.get(`/api/v1/events/${slug}/shortlist`)).body.items.map((e) => e.question.id);
  // The server's order, once it is `want` (a reorder's request may still be in flight).
  const waitApiOrder = async (want) => {
    for (let i = 0; i < 100 && JSON.stringify(await apiShortlist()) !== JSON.stringify(want); i++)
      await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(await apiShortlist(), want);
  };
  const waitOrder = (p, want) =>
    p.waitForFunction(
      (w) => JSON.stringify([...document.querySelectorAll('#x-shortlist .x-entry')].map((e) => Number(e.dataset.id))) === w,
      JSON.stringify(want),
      WAIT,
    );
  const watch = (p, name) => {
    p.on('pageerror', (e) => errors.push(`${name}: ${e.message}`));
    p.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(`${name}: ${m.text()}`);
    });
  };

  // Where `loc` is now. A render may have replaced the element between finding it and
  // measuring it, and boundingBox() then answers null: ask again.
  const box = async (loc) => {
    for (let i = 0; i < 50; i++) {
      const b = await loc.boundingBox();
      if (b) return b;
      await page.waitForTimeout(50);
    }
    throw new Error('no box');
  };

  // Holds the mouse button down on `button` in the row `rowSel`, then marks the row: a row
  // built again while held loses the mark (and, in a browser, the click). Marked after the
  // press, since a frame arriving just before it may build the row again, as it should.
  const holdButtonOf = async (rowSel, button) => {
    const b = await box(page.locator(`${rowSel} ${button}`));
    await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
    await page.mouse.down();
    await page.$eval(rowSel, (el) => {
      el.dataset.mark = 'kept';
    });
  };
  const markKept = (rowSel) => page.$eval(rowSel, (el) => el.dataset.mark ?? null);

  before(async () => {
    server = await startServer();
    admin = apiClient(server.base, server.token);
    const ev = await admin.post('/api/v1/events', { slug, title: 'Annual general meeting', premoderate: true });
    assert.equal(ev.status, 201, JSON.stringify(ev.body));
    const mod = await admin.post('/api/v1/tokens', { name: 'mo', role: 'moderator', event: slug });
    moderator = apiClient(server.base, mod.body.token);
    for (const q of QUESTIONS) {
      const r = await admin.post(`/api/v1/events/${slug}/questions`, q);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.status, 'held');
      ids.push(r.body.id);
    }
    // The first three approved; three votes for the second.
    for (const id of ids.slice(0, 3)) {
      const d = await moderator.post(`/api/v1/questions/${id}/decision`, { action: 'approve' });
      assert.equal(d.status, 200, JSON.stringify(d.body));
    }
    for (const voter of ['v1', 'v2', 'v3'])
      assert.equal((await admin.post(`/api/v1/public/questions/${ids[1]}/vote`, { voter })).status, 200);
    erin = await launchBrowser(server, 'erin', { role: 'executive', viewport: { width: 1440, height: 900 } });
    frank = await launchBrowser(server, 'frank', { role: 'executive' });
  });

  after(async () => {
    if (erin) await erin.close();
    if (frank) await frank.close();
    if (server) await server.stop();
  });

  test('the ranking shows approved questions only, best first, with the terms of each score', async () => {
    page = await erin.context.newPage();
    watch(page, 'erin');
    await page.goto(`${server.base}/executive?event=${slug}`);
    await page.waitForSelector('#conn[data-state="live"]', WAIT);
    await page.waitForFunction(() => document.querySelectorAll('#x-ranked .x-row').length === 3, null, WAIT);
    assert.equal(await page.textContent('#event-title'), 'Annual general meeting');
    const shown = await page.$$eval('#x-ranked .x-row', (els) => els.map((e) => Number(e.dataset.id)));
    assert.equal(shown[0], ids[1], 'the question with votes ranks first');
    assert.deepEqual([...shown].sort((a, b) => a - b), ids.slice(0, 3));
    const score = await page.textContent(`#x-ranked .x-row[data-id="${ids[1]}"] .x-score`);
    assert.match(score, /^\d+\.\d\d = \d+\.\d\d votes \+ \d+\.\d\d asked \+ \d+\.\d\d recent$/);
    assert.match(await page.textContent('#x-formula'), /ln\(1 \+ votes\)/);
    assert.equal(await page.locator('#x-ranked .x-scores').count(), 0, 'no classifier scores for executives by default');
  });

  test('a press on a star survives a render of the other rows', async () => {
    // When the element under the pointer is replaced between mousedown and mouseup, the
    // browser sends the click to the list, and the star is lost: a render caused by another
    // row (a stream frame) must keep the pressed row's elements.
    const made = await admin.post('/api/v1/tokens', { name: 'gina', role: 'executive', event: slug });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const gina = apiClient(server.base, made.body.token);
    const row = (id) => `#x-ranked .x-row[data-id="${id}"]`;
    await holdButtonOf(row(ids[1]), '.x-star');
    const added = await gina.post(`/api/v1/events/${slug}/shortlist`, { question_id: ids[0] });
    assert.equal(added.status, 200, JSON.stringify(added.body));
    // Time for the shortlist's stream frame to arrive while the button is held.
    await page.waitForTimeout(1500);
    assert.equal(await markKept(row(ids[1])), 'kept', 'the pressed row was built again');
    await page.mouse.up();
    await page.waitForSelector(`${row(ids[1])} .x-star[aria-pressed="true"]`, WAIT);
    // The render held during the press shows the other executive's star too.
    await page.waitForSelector(`${row(ids[0])} .x-star[aria-pressed="true"]`, WAIT);
    await waitApiOrder([ids[0], ids[1]]);
    // The shortlist empty again for the tests below.
    for (const id of [ids[0], ids[1]])
      assert.equal((await gina.delete(`/api/v1/events/${slug}/shortlist/${id}`)).status, 200);
    await waitOrder(page, []);
    await page.waitForSelector(`${row(ids[1])} .x-star[aria-pressed="false"]`, WAIT);
  });

  test('a press on a star survives a change of its own row', async () => {
    // The ranking's refresh changes every row (recency moves each score), and a vote changes
    // the voted row: the row under a held button is built again only after the press.
    const row = (id) => `#x-ranked .x-row[data-id="${id}"]`;
    await holdButtonOf(row(ids[2]), '.x-star');
    assert.equal((await admin.post(`/api/v1/public/questions/${ids[2]}/vote`, { voter: 'v9' })).status, 200);
    // Time for the vote's stream frame and the ranking's refresh (at most one a second) to
    // arrive; were the row built again meanwhile, the mark would be gone.
    await page.waitForTimeout(2500);
    assert.equal(await markKept(row(ids[2])), 'kept', 'the pressed row was built again');
    await page.mouse.up();
    await page.waitForSelector(`${row(ids[2])} .x-star[aria-pressed="true"]`, WAIT);
    await waitApiOrder([ids[2]]);
    // Built again after the press: the vote shows.
    await page.waitForFunction((sel) => /▲ 1\b/.test(document.querySelector(sel)?.textContent || ''), `${row(ids[2])} .x-votes`, WAIT);
    assert.equal((await admin.delete(`/api/v1/events/${slug}/shortlist/${ids[2]}`)).status, 200);
    await waitOrder(page, []);
    await page.waitForSelector(`${row(ids[2])} .x-star[aria-pressed="false"]`, WAIT);
  });

  test('starring builds the shortlist; a second executive sees it live', async () => {
    other = await frank.context.newPage();
    watch(other, 'frank');
    await other.goto(`${server.base}/executive?event=${slug}`);
    await other.waitForSelector('#conn[data-state="live"]', WAIT);

    await page.click(`#x-ranked .x-row[data-id="${ids[0]}"] .x-star`);
    await page.click(`#x-ranked .x-row[data-id="${ids[1]}"] .x-star`);
    // The third by key: focus its row, then s.
    await page.click(`#x-ranked .x-row[data-id="${ids[2]}"] .x-text`);
    await page.keyboard.press('s');
    await waitOrder(page, ids.slice(0, 3));
    await waitApiOrder(ids.slice(0, 3));
    await waitOrder(other, ids.slice(0, 3));
    assert.equal(await page.getAttribute(`#x-ranked .x-row[data-id="${ids[0]}"] .x-star`, 'aria-pressed'), 'true');
  });

  test('keys reorder the shortlist (K moves up, J down) and the order persists', async () => {
    await page.click(`#x-shortlist .x-entry[data-id="${ids[2]}"] .x-text`);
    await page.keyboard.press('K');
    await waitOrder(page, [ids[0], ids[2], ids[1]]);
    await page.keyboard.press('K');
    await waitOrder(page, [ids[2], ids[0], ids[1]]);
    await page.keyboard.press('J');
    await waitOrder(page, [ids[0], ids[2], ids[1]]);
    await waitApiOrder([ids[0], ids[2], ids[1]]);
    await waitOrder(other, [ids[0], ids[2], ids[1]]);
  });

  test('dragging an entry by its handle reorders the shortlist', async () => {
    const handle = page.locator(`#x-shortlist .x-entry[data-id="${ids[1]}"] .drag-handle`);
    const target = page.locator(`#x-shortlist .x-entry[data-id="${ids[0]}"]`);
    const from = await box(handle);
    const to = await box(target);
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(to.x + to.width / 2, to.y + 4, { steps: 12 });
    await page.mouse.up();
    await waitOrder(page, [ids[1], ids[0], ids[2]]);
    await waitApiOrder([ids[1], ids[0], ids[2]]);
    await waitOrder(other, [ids[1], ids[0], ids[2]]);
  });

  test('a press on an entry\'s button survives a render of another entry', async () => {
    // As for the stars above: another executive's note on a different entry arrives as a
    // stream frame while the button is held; the held entry must keep its elements.
    const entry = (id) => `#x-shortlist .x-entry[data-id="${id}"]`;
    await holdButtonOf(entry(ids[1]), 'button[data-act="down"]');
    const frankToken = await admin.post('/api/v1/tokens', { name: 'frank-api', role: 'executive', event: slug });
    assert.equal(frankToken.status, 201, JSON.stringify(frankToken.body));
    const noted = await apiClient(server.base, frankToken.body.token).patch(`/api/v1/events/${slug}/shortlist/${ids[2]}`, {
      note: 'Ask the treasurer.',
    });
    assert.equal(noted.status, 200, JSON.stringify(noted.body));
    // Time for the note's stream frame to arrive while the button is held.
    await page.waitForTimeout(1500);
    assert.equal(await markKept(entry(ids[1])), 'kept', 'the pressed entry was built again');
    await page.mouse.up();
    await waitOrder(page, [ids[0], ids[1], ids[2]]);
    // The render held during the press shows the note.
    await page.waitForFunction(
      (id) => document.querySelector(`#x-shortlist .x-note-input[data-id="${id}"]`)?.value === 'Ask the treasurer.',
      ids[2],
      WAIT,
    );
    await waitApiOrder([ids[0], ids[1], ids[2]]);
    // Back to the order the tests below expect.
    await page.click(`${entry(ids[1])} button[data-act="up"]`);
    await waitOrder(page, [ids[1], ids[0], ids[2]]);
    await waitApiOrder([ids[1], ids[0], ids[2]]);
  });

  test('answering now (one at a time) and a note reach the other executive', async () => {
    await page.click(`#x-shortlist .x-entry[data-id="${ids[0]}"] button[data-act="now"]`);
    await page.waitForSelector(`#x-shortlist .x-entry.now[data-id="${ids[0]}"]`, WAIT);
    await page.click(`#x-shortlist .x-entry[data-id="${ids[1]}"] button[data-act="now"]`);
    await page.waitForSelector(`#x-shortlist .x-entry.now[data-id="${ids[1]}"]`, WAIT);
    await page.waitForSelector(`#x-shortlist .x-entry.now[data-id="${ids[0]}"]`, { state: 'detached', ...WAIT });
    await other.waitForSelector(`#x-shortlist .x-entry.now[data-id="${ids[1]}"] .x-badge-now`, WAIT);
    assert.equal(await other.locator('#x-shortlist .x-entry.now').count(), 1);

    const note = page.locator(`#x-shortlist .x-note-input[data-id="${ids[1]}"]`);
    await note.click();
    await note.fill('Yes: from March, with a free pilot for students.');
    await page.keyboard.press('Control+Enter');
    await other.waitForFunction(
      (id) => document.querySelector(`#x-shortlist .x-note-input[data-id="${id}"]`)?.value.startsWith('Yes: from March'),
      ids[1],
      WAIT,
    );
    const entry = (await admin.get(`/api/v1/events/${slug}/shortlist`)).body.items.find((e) => e.question.id === ids[1]);
    assert.equal(entry.note, 'Yes: from March, with a free pilot for students.');
    assert.equal(entry.note_by, 'erin');
    assert.equal(entry.answering_now, true);
  });

  test('the moderators\' dashboard marks the shortlist and "answering now" live', async () => {
    const mo = await launchBrowser(server, 'mo-dash');
    try {
      const dash = await mo.context.newPage();
      watch(dash, 'mo-dash');
      await dash.goto(`${server.base}/?event=${slug}`);
      await dash.waitForSelector('#conn[data-state="live"]', WAIT);
      await dash.keyboard.press('2'); // the Approved tab
      const badge = (id) => `#list .card[data-id="${id}"] .shortlist-badge`;
      for (const id of ids.slice(0, 3)) await dash.waitForSelector(badge(id), WAIT);
      await dash.waitForSelector(`${badge(ids[1])}.now`, WAIT);
      // An executive moves "answering now": the moderators see it move without reload.
      await page.click(`#x-shortlist .x-entry[data-id="${ids[2]}"] button[data-act="now"]`);
      await dash.waitForSelector(`${badge(ids[2])}.now`, WAIT);
      await dash.waitForSelector(`${badge(ids[1])}.now`, { state: 'detached', ...WAIT });
      await page.click(`#x-shortlist .x-entry[data-id="${ids[1]}"] button[data-act="now"]`);
      await dash.waitForSelector(`${badge(ids[1])}.now`, WAIT);
      await dash.close();
    } finally {
      await mo.close();
    }
  });

  test('a question a moderator approves appears without reload', async () => {
    await page.evaluate(() => {
      window.__notReloaded = true;
    });
    const d = await moderator.post(`/api/v1/questions/${ids[3]}/decision`, { action: 'approve' });
    assert.equal(d.status, 200);
    await page.waitForSelector(`#x-ranked .x-row[data-id="${ids[3]}"]`, WAIT);
    assert.equal(await page.evaluate(() => window.__notReloaded), true);
    // Its near-duplicate approved too: ranked again, the two are one row, and their words a topic.
    await moderator.post(`/api/v1/questions/${ids[4]}/decision`, { action: 'approve' });
    await page.waitForFunction(
      (id) => /2 approved near-duplicates/.test(document.querySelector(`#x-ranked .x-row[data-id="${id}"] .x-score`)?.title || ''),
      ids[0],
      WAIT,
    );
    await page.waitForSelector('#x-topics [data-topic="overdraft"]', WAIT);
    assert.equal(await page.locator(`#x-ranked .x-row[data-id="${ids[4]}"]`).count(), 0);
  });

  test('"hide what is not a question" hides an approved statement, and shows it again', async () => {
    // The server scores each question with models/question.tlm (the "is it a question?" model).
    const r = await admin.post(`/api/v1/events/${slug}/questions`, { text: STATEMENT, author: 'fay' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.is_question, false, JSON.stringify(r.body));
    assert.equal((await moderator.post(`/api/v1/questions/${r.body.id}/decision`, { action: 'approve' })).status, 200);
    const row = `#x-ranked .x-row[data-id="${r.body.id}"]`;
    await page.waitForSelector(row, WAIT);
    await page.check('#x-questions-only');
    await page.waitForSelector(row, { ...WAIT, state: 'detached' });
    await page.waitForFunction(() => document.querySelector('#x-hidden-note').textContent === '1 hidden', null, WAIT);
    assert.equal(await page.locator(`#x-ranked .x-row[data-id="${ids[0]}"]`).count(), 1, 'questions stay');
    await page.uncheck('#x-questions-only');
    await page.waitForSelector(row, WAIT);
  });

  test('marking answered, then a screenshot', async () => {
    await page.click(`#x-shortlist .x-entry[data-id="${ids[1]}"] button[data-act="answered"]`);
    await page.waitForSelector(`#x-shortlist .x-entry.answered[data-id="${ids[1]}"]`, WAIT);
    const q = await admin.get(`/api/v1/questions/${ids[1]}`);
    assert.equal(q.body.status, 'answered');
    // Something being answered now, for the picture.
    await page.click(`#x-shortlist .x-entry[data-id="${ids[0]}"] button[data-act="now"]`);
    await page.waitForSelector(`#x-shortlist .x-entry.now[data-id="${ids[0]}"]`, WAIT);
    await page.click('#x-weights summary');
    await page.click(`#x-ranked .x-row[data-id="${ids[3]}"] .x-text`);
    const file = join(outputDir(), 'executive.png');
    await page.screenshot({ path: file, fullPage: true });
    assert.deepEqual(errors, []);
  });
});
