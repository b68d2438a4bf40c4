// The dashboard with 100,000 questions in an event (issue 4, "stays responsive"): the database is
// filled with the sqlite3 CLI before the server starts, then the browser's own clock
// (performance.now, performance marks, PerformanceObserver long tasks) measures the first render,
// tab and sort switches, paging, and a burst of 1,000 live changes. The numbers go to
// tests/browser/artifacts/perf.json (and docs/benchmarks.md); only correctness is asserted:
// exact counts, a bounded number of cards in the DOM, the right questions on screen.
//
// Run: node --test tests/browser/dashboard_perf.test.mjs   (see support.mjs; needs /usr/bin/sqlite3)

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { apiClient, artifactsDir, fillDatabase, launchBrowser, startServer } from './support.mjs';

const N = 100000;
const BURST = 1000;
const slug = 'perf';
const WAIT = { timeout: 60000 };
const MAX_CARDS = 300;

const STATES = ['pending', 'held', 'approved', 'rejected', 'auto_rejected'];

// 100,000 questions straight into SQLite (a pre-moderated event, so clean new questions are held
// for Review): ~40% pending, 20% held, 20% approved, 10% rejected,
// 10% auto-rejected, with varied scores, authors, sources and creation times (one every 3 s).
function fill(dbPath) {
  const base = Date.now() - N * 3000;
  fillDatabase(
    dbPath,
    `
INSERT INTO events (slug, title, premoderate, created_at) VALUES ('${slug}', 'One hundred thousand questions', 1, ${base});
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${N})
INSERT INTO questions (event_id, text, author, source, external_id, created_at, updated_at, status, version, lang,
                       verdict, s_toxicity, s_severe_toxicity, s_insult, s_profanity, s_threat, s_identity_attack)
SELECT (SELECT id FROM events WHERE slug = '${slug}'),
       'Question ' || i || ' about the ' ||
         CASE i % 7 WHEN 0 THEN 'overdraft fees' WHEN 1 THEN 'branch closures' WHEN 2 THEN 'savings rate'
                    WHEN 3 THEN 'mobile app' WHEN 4 THEN 'mortgage terms' WHEN 5 THEN 'card limits'
                    ELSE 'new CEO' END || '?',
       'user' || (i % 997),
       CASE i % 3 WHEN 0 THEN 'twitter' WHEN 1 THEN 'web' ELSE 'sms' END,
       'ext-' || i,
       ${base} + i * 3000, ${base} + i * 3000,
       CASE WHEN i % 10 < 4 THEN 'pending' WHEN i % 10 < 6 THEN 'held' WHEN i % 10 < 8 THEN 'approved'
            WHEN i % 10 = 8 THEN 'rejected' ELSE 'auto_rejected' END,
       1, CASE WHEN i % 11 = 0 THEN 'fr' ELSE 'en' END, '',
       (i * 37 % 1000) / 1000.0, (i * 11 % 200) / 1000.0, (i * 53 % 1000) / 1000.0,
       (i * 17 % 500) / 1000.0, (i * 7 % 300) / 1000.0, (i * 13 % 100) / 1000.0
FROM n;
-- Every question has its full-text row, written by whoever inserts it (as the group commit does).
INSERT INTO questions_fts (rowid, search_text)
SELECT id, search_text FROM questions WHERE event_id = (SELECT id FROM events WHERE slug = '${slug}');
UPDATE questions SET
  severity = CAST(round(max(s_toxicity, s_severe_toxicity, s_insult, s_profanity, s_threat, s_identity_attack) * 1000) AS INTEGER),
  search_text = lower(text),
  cluster_id = id
WHERE event_id = (SELECT id FROM events WHERE slug = '${slug}');
-- Each question starts its own near-duplicate group, as the insert would record it.
INSERT INTO question_clusters (id, size, review, heat, event_id)
SELECT id, 1, CASE WHEN status IN ('pending', 'held') THEN 1 ELSE 0 END, 0, event_id
FROM questions WHERE event_id = (SELECT id FROM events WHERE slug = '${slug}');
`,
  );
}

let server;
let api;
let browser;
let page;
const pageErrors = [];
const results = { questions: N, burst: BURST };

const cardCount = () => page.locator('#list .card').count();
const domCounts = () =>
  page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll('[data-count]')].map((el) => [el.dataset.count, Number(el.textContent.replace(/\D/g, ''))]),
    ),
  );

async function serverCounts() {
  const ev = await api.get(`/api/v1/events/${slug}`);
  assert.equal(ev.status, 200, JSON.stringify(ev.body));
  return ev.body.counts;
}

// Clicks `selector` in the page and resolves with the milliseconds (browser clock) until the
// view's snapshot is applied and rendered with cards that satisfy `ready` (a function source).
async function timeClick(selector, readySource) {
  return page.evaluate(
    async ([sel, src]) => {
      const ready = new Function(`return (${src})();`);
      const t0 = performance.now();
      document.querySelector(sel).click();
      await new Promise((resolve, reject) => {
        const limit = setTimeout(() => reject(new Error(`not ready: ${sel}`)), 30000);
        const check = () => {
          if (ready()) {
            clearTimeout(limit);
            resolve();
          } else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      });
      return performance.now() - t0;
    },
    [selector, readySource],
  );
}

const round = (x) => Math.round(x * 10) / 10;

describe(`dashboard with ${N.toLocaleString('en')} questions`, { timeout: 300000 }, () => {
  before(async () => {
    const t0 = Date.now();
    server = await startServer({ prepare: fill });
    results.fill_ms = Date.now() - t0;
    api = apiClient(server.base, server.token);
    browser = await launchBrowser(server);
    page = await browser.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) pageErrors.push(m.text());
    });
  });

  after(async () => {
    if (browser) await browser.close();
    if (server) await server.stop();
    results.machine = cpus()[0]?.model || 'unknown';
    results.cores = cpus().length;
    results.date = new Date().toISOString();
    mkdirSync(artifactsDir, { recursive: true });
    writeFileSync(join(artifactsDir, 'perf.json'), `${JSON.stringify(results, null, 2)}\n`);
  });

  test('first render of the review queue', async () => {
    const counts = await serverCounts();
    assert.equal(STATES.reduce((n, s) => n + (counts[s] || 0), 0), N);
    await page.goto(`${server.base}/?event=${slug}`);
    await page.waitForSelector('#list .card', WAIT);
    await page.waitForSelector('#conn[data-state="live"]', WAIT);
    const marks = await page.evaluate(() => {
      const at = (name) => performance.getEntriesByName(name)[0]?.startTime ?? null;
      const nav = performance.getEntriesByType('navigation')[0];
      return {
        dom_content_loaded: nav ? nav.domContentLoadedEventEnd : null,
        view_ready: at('tribune:view-ready'),
        first_cards: at('tribune:first-cards'),
      };
    });
    results.first_render_ms = round(marks.first_cards);
    results.dom_content_loaded_ms = round(marks.dom_content_loaded);
    // Correctness: exact counts, the newest of the review queue first, a bounded DOM.
    assert.deepEqual(await domCounts(), { ...Object.fromEntries(STATES.map((s) => [s, counts[s] || 0])), answered: counts.answered || 0 });
    const first = await page.getAttribute('#list .card', 'data-id');
    const newest = await api.get(`/api/v1/events/${slug}/questions?status=pending,held&limit=1`);
    assert.equal(Number(first), newest.body.items[0].id);
    const n = await cardCount();
    assert.ok(n > 0 && n < MAX_CARDS, `${n} cards in the DOM`);
    results.cards_in_dom = n;
  });

  test('switching tabs, sort and search', async () => {
    const onlyStatus = (states) =>
      `() => { const c = document.querySelectorAll('#list .card'); return c.length > 0 && [...c].every((e) => ${JSON.stringify(states)}.includes(e.dataset.status)); }`;
    results.tab_switch_ms = {};
    for (const [tab, states] of [
      ['approved', ['approved']],
      ['rejected', ['rejected', 'auto_rejected']],
      ['all', STATES],
      ['review', ['pending', 'held']],
    ]) {
      const ms = await timeClick(`[data-tab="${tab}"]`, onlyStatus(states));
      results.tab_switch_ms[tab] = round(ms);
      const n = await cardCount();
      assert.ok(n > 0 && n < MAX_CARDS, `${tab}: ${n} cards`);
    }

    // Sort by severity: the first card is the most severe of the review queue.
    const sortMs = await page.evaluate(async () => {
      const t0 = performance.now();
      const sel = document.querySelector('#f-sort');
      sel.value = 'severity';
      sel.dispatchEvent(new Event('change', { bubbles: true }));
      await new Promise((resolve) => {
        const check = () => {
          const view = performance.getEntriesByName('tribune:view-ready');
          const started = performance.getEntriesByName('tribune:view-start').at(-1);
          if (view.length && view.at(-1).startTime > started.startTime && document.querySelector('#list .card')) resolve();
          else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      });
      return performance.now() - t0;
    });
    results.sort_severity_ms = round(sortMs);
    const top = await api.get(`/api/v1/events/${slug}/questions?status=pending,held&sort=severity&limit=1`);
    assert.equal(Number(await page.getAttribute('#list .card', 'data-id')), top.body.items[0].id);

    // Search: "/" focuses the box; typing subscribes to the matching view.
    await page.click('body', { position: { x: 5, y: 790 } });
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'f-q');
    const t0 = await page.evaluate(() => performance.now());
    await page.keyboard.type('closures');
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      () => {
        const c = [...document.querySelectorAll('#list .card .q-text')];
        return c.length > 0 && c.every((e) => e.textContent.includes('closures'));
      },
      null,
      WAIT,
    );
    results.search_ms = round((await page.evaluate(() => performance.now())) - t0);
    await page.fill('#f-q', '');
    await page.press('#f-q', 'Enter');
    await page.selectOption('#f-sort', 'newest');
    await page.waitForFunction(() => !document.querySelector('#filters').classList.contains('active'), null, WAIT);
  });

  test('paging deeper loads on demand and keeps the DOM bounded', async () => {
    await page.click('body', { position: { x: 5, y: 790 } });
    const ms = [];
    for (let i = 0; i < 5; i++) {
      const before = await page.getAttribute('#list .card', 'data-id');
      const t0 = await page.evaluate(() => performance.now());
      await page.keyboard.press(']');
      await page.waitForFunction((b) => {
        const c = document.querySelector('#list .card');
        return c && c.dataset.id !== b;
      }, before, WAIT);
      ms.push(round((await page.evaluate(() => performance.now())) - t0));
      const n = await cardCount();
      assert.ok(n > 0 && n < MAX_CARDS, `${n} cards`);
    }
    results.page_turn_ms = ms;
    const info = await page.textContent('#pager .pager-info');
    assert.match(info, /^251–300 of /, info);
    for (let i = 0; i < 5; i++) await page.keyboard.press('[');
    await page.waitForFunction(() => /^1–50 /.test(document.querySelector('#pager .pager-info').textContent), null, WAIT);
  });

  test(`a burst of ${BURST.toLocaleString('en')} live questions`, async () => {
    await page.evaluate(() => {
      window.__perf = { longTasks: [] };
      try {
        const po = new PerformanceObserver((list) => {
          for (const e of list.getEntries()) window.__perf.longTasks.push(e.duration);
        });
        po.observe({ type: 'longtask', buffered: false });
        window.__perf.po = po;
      } catch {
        window.__perf.unsupported = true;
      }
      window.__perf.t0 = performance.now();
      performance.clearMeasures('tribune:frame');
      performance.clearMeasures('tribune:render');
    });
    // 1,000 posts, 25 at a time; every third one is meant for Review (an insult).
    const ids = [];
    for (let i = 0; i < BURST; i += 25) {
      const batch = [];
      for (let j = i; j < Math.min(BURST, i + 25); j++) {
        const text = j % 3 === 0 ? `Burst ${j}: why is the CEO such an idiot?` : `Burst question ${j} about fees?`;
        batch.push(api.post(`/api/v1/events/${slug}/questions`, { text, author: `burst${j % 10}`, source: 'web' }));
      }
      for (const r of await Promise.all(batch)) {
        assert.equal(r.status, 201, JSON.stringify(r.body));
        ids.push(r.body);
      }
    }
    const tPosted = await page.evaluate(() => performance.now());
    const counts = await serverCounts();
    const want = { ...Object.fromEntries(STATES.map((s) => [s, counts[s] || 0])), answered: counts.answered || 0 };
    await page.waitForFunction(
      (w) => {
        const got = Object.fromEntries(
          [...document.querySelectorAll('[data-count]')].map((el) => [el.dataset.count, Number(el.textContent.replace(/\D/g, ''))]),
        );
        const ok = Object.keys(w).every((k) => got[k] === w[k]);
        if (ok && !window.__perf.done) window.__perf.done = performance.now();
        return ok;
      },
      want,
      { ...WAIT, polling: 'raf' },
    );
    const m = await page.evaluate(() => {
      const frames = performance.getEntriesByName('tribune:frame');
      const renders = performance.getEntriesByName('tribune:render');
      const sum = (xs) => xs.reduce((a, b) => a + b, 0);
      return {
        total: window.__perf.done - window.__perf.t0,
        frames: frames.length,
        changes: sum(frames.map((f) => f.detail || 0)),
        frame_apply_total: sum(frames.map((f) => f.duration)),
        frame_apply_max: Math.max(0, ...frames.map((f) => f.duration)),
        renders: renders.length,
        render_total: sum(renders.map((r) => r.duration)),
        render_max: Math.max(0, ...renders.map((r) => r.duration)),
        long_tasks: window.__perf.unsupported ? null : window.__perf.longTasks.length,
        long_task_max: window.__perf.unsupported ? null : Math.max(0, ...window.__perf.longTasks),
        done: window.__perf.done,
      };
    });
    results.burst_result = {
      posting_and_catch_up_ms: round(m.total),
      catch_up_after_last_post_ms: round(Math.max(0, m.done - tPosted)),
      frames: m.frames,
      changes_in_frames: m.changes,
      frame_apply_total_ms: round(m.frame_apply_total),
      frame_apply_max_ms: round(m.frame_apply_max),
      renders: m.renders,
      render_total_ms: round(m.render_total),
      render_max_ms: round(m.render_max),
      long_tasks: m.long_tasks,
      long_task_max_ms: m.long_task_max == null ? null : round(m.long_task_max),
    };
    // Correctness: exact counts (waited for above), the newest pending question first in
    // Review, fewer frames than changes, a bounded DOM.
    assert.ok(m.frames < BURST, `${m.frames} frames for ${BURST} changes`);
    const inReview = ids.filter((q) => q.status === 'pending' || q.status === 'held');
    if (inReview.length) {
      const newest = inReview.reduce((a, b) => (b.id > a.id ? b : a));
      await page.waitForSelector(`#list .card[data-id="${newest.id}"]`, WAIT);
    }
    results.burst_result.in_review = inReview.length;
    const n = await cardCount();
    assert.ok(n > 0 && n < MAX_CARDS, `${n} cards`);
  });

  test('no script errors on the page', () => {
    assert.deepEqual(pageErrors, []);
  });
});
