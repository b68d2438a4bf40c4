// Browser test of the audience's page (/e/SLUG) with 5,000 approved questions (the issue's
// scale), on a 360x740 phone viewport, against the real server: scrolling down loads page
// after page by itself, in the order asked, nothing shown twice (so the list is not stuck at
// its first page); the search finds a question from the very end of the order and it can be
// voted for there; clearing the search brings the whole list back. No timings are asserted
// (speed belongs in bench/). Saves $TRIBUNE_ARTIFACTS_DIR/audience-5000.png.
// Run: node --test tests/browser/audience_scale.test.mjs   (see support.mjs)

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { apiClient, fillDatabase, launchBrowser, outputDir, startServer } from './support.mjs';

const N = 5000;
const slug = 'scale';
const WAIT = { timeout: 30000 };
const PHONE = { width: 360, height: 740 };
// The question with the fewest votes: the last one of the "Top" order.
const LAST_TEXT = 'Will the zeppelin hangar by the river ever become a market hall?';

// 5,000 approved questions straight into SQLite: votes from N-1 down to 0 (question i has
// N-i votes, so the "Top" order is known), one created every 3 s (question N the newest),
// with their full-text rows.
function fill(dbPath) {
  const base = Date.now() - N * 3000;
  fillDatabase(
    dbPath,
    `
INSERT INTO events (slug, title, premoderate, created_at) VALUES ('${slug}', 'Five thousand questions', 1, ${base});
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${N})
INSERT INTO questions (event_id, text, author, source, external_id, created_at, updated_at, status, version, lang,
                       verdict, votes)
SELECT (SELECT id FROM events WHERE slug = '${slug}'),
       CASE WHEN i = ${N} THEN '${LAST_TEXT}' ELSE
       'Question ' || i || ' about the ' ||
         CASE i % 7 WHEN 0 THEN 'library hours' WHEN 1 THEN 'bus lanes' WHEN 2 THEN 'school meals'
                    WHEN 3 THEN 'park benches' WHEN 4 THEN 'housing plan' WHEN 5 THEN 'street lights'
                    ELSE 'new mayor' END || '?' END,
       'user' || (i % 997), 'audience', 'ext-' || i,
       ${base} + i * 3000, ${base} + i * 3000,
       'approved', 1, 'en', '', ${N} - i
FROM n;
-- Every question has its full-text row (as the group commit writes it); the update trigger
-- then indexes the lower-cased text.
INSERT INTO questions_fts (rowid, search_text)
SELECT id, search_text FROM questions WHERE event_id = (SELECT id FROM events WHERE slug = '${slug}');
UPDATE questions SET search_text = lower(text) WHERE event_id = (SELECT id FROM events WHERE slug = '${slug}');
`,
  );
}

describe(`audience page with ${N.toLocaleString('en')} approved questions`, { timeout: 300000 }, () => {
  let server;
  let phone;
  let page;
  const errors = [];
  const items = () =>
    page.$$eval('#a-list .a-item', (els) =>
      els.map((e) => ({ id: Number(e.dataset.id), votes: Number(e.querySelector('.a-votes').textContent) })),
    );

  before(async () => {
    server = await startServer({ prepare: fill });
    const ev = await apiClient(server.base, server.token).get(`/api/v1/events/${slug}`);
    assert.equal(ev.body.counts.approved, N, JSON.stringify(ev.body));
    phone = await launchBrowser(null, null, { viewport: PHONE });
    page = await phone.context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
  });

  after(async () => {
    if (phone) await phone.close();
    if (server) await server.stop();
  });

  test('scrolling down reads page after page, in vote order, nothing twice', async () => {
    await page.goto(`${server.base}/e/${slug}`);
    await page.waitForSelector('#a-open:not([hidden])', WAIT);
    await page.waitForFunction(() => document.querySelectorAll('#a-list .a-item').length >= 50, null, WAIT);
    // Six times to the bottom of the page: each brings the next page of 50 without a click.
    for (let want = 100; want <= 350; want += 50) {
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      await page.waitForFunction((n) => document.querySelectorAll('#a-list .a-item').length >= n, want, WAIT);
    }
    const shown = await items();
    assert.ok(shown.length >= 350, `shown: ${shown.length}`);
    assert.equal(new Set(shown.map((q) => q.id)).size, shown.length, 'no question shown twice');
    // Question i has N-i votes: the list is exactly the first rows of that order.
    assert.deepEqual(
      shown.map((q) => q.votes),
      shown.map((_, i) => N - 1 - i),
    );
    assert.match(await page.textContent('#a-count'), /^\d+\+ questions$/);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'no sideways scrolling');
  });

  test('the search finds the last question of the order, which can be voted for', async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.fill('#a-q', 'zeppelin hangar');
    await page.click('#a-search-go');
    await page.waitForFunction(() => document.querySelectorAll('#a-list .a-item').length === 1, null, WAIT);
    const item = page.locator('#a-list .a-item').first();
    assert.equal(await item.locator('.a-text').textContent(), LAST_TEXT);
    assert.equal(await item.locator('.a-votes').textContent(), '0');
    assert.equal(await page.isHidden('#a-more'), true, 'one match: nothing more to load');
    await item.locator('.a-vote').click();
    await page.waitForSelector('#a-list .a-item .a-vote[aria-pressed="true"]', WAIT);
    assert.equal(await item.locator('.a-votes').textContent(), '1');
    await page.screenshot({ path: join(outputDir(), 'audience-5000.png'), fullPage: false });

    // Words no question holds say so.
    await page.fill('#a-q', 'submarine');
    await page.click('#a-search-go');
    await page.waitForSelector('#a-no-match:not([hidden])', WAIT);
    assert.equal(await page.locator('#a-list .a-item').count(), 0);

    // Emptied, the search gives the whole list back, from its first page.
    await page.fill('#a-q', '');
    await page.waitForFunction(() => document.querySelectorAll('#a-list .a-item').length >= 50, null, WAIT);
    assert.equal((await items())[0].votes, N - 1);
    assert.equal(await page.isHidden('#a-no-match'), true);
  });

  test('"Newest" with a search reads the newest matches first', async () => {
    await page.click('#a-sort-newest');
    await page.fill('#a-q', 'park benches');
    await page.click('#a-search-go');
    // Questions 3, 10, ..., 4994 hold "park benches"; question 4994 is the newest of them.
    // The list shown before (and the unfiltered "Newest" list the click asked for) already
    // holds 50 items: wait until the search's own answer is what is shown.
    await page.waitForFunction(
      () => {
        const texts = [...document.querySelectorAll('#a-list .a-item .a-text')].map((e) => e.textContent);
        return texts.length >= 50 && texts.every((t) => t.includes('park benches'));
      },
      null,
      WAIT,
    );
    const texts = await page.$$eval('#a-list .a-item .a-text', (els) => els.slice(0, 3).map((e) => e.textContent));
    assert.deepEqual(texts, [
      'Question 4994 about the park benches?',
      'Question 4987 about the park benches?',
      'Question 4980 about the park benches?',
    ]);
    assert.deepEqual(errors, []);
  });
});
