// A screenshot of the dashboard with a few hundred varied questions (some toxic, so highlights
// show; some near-duplicates, so group badges show), saved as a test artefact:
// $TRIBUNE_ARTIFACTS_DIR/dashboard.png (default build/artifacts/dashboard.png). Two moderators
// watch the event, so the header shows who is online and the arrivals per minute.
// Run: node --test tests/browser/dashboard_screenshot.test.mjs   (see support.mjs)

import assert from 'node:assert/strict';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { apiClient, outputDir, serverWithModerators } from './support.mjs';

const N = 300;
const WAIT = { timeout: 20000 };
const slug = 'townhall';

const TOPICS = [
  'overdraft fees',
  'the Elm Street branch',
  'the savings rate',
  'the mobile app',
  'mortgage terms',
  'card limits',
  'the new CEO',
  'cash machines in villages',
  'student accounts',
  'fraud refunds',
  'the merger',
  'paper statements',
  'weekend opening hours',
  'contactless payments',
];
const FORMS = [
  'What is the plan for {t}?',
  'Can you explain the recent changes to {t}?',
  'Why were customers not told earlier about {t}?',
  'Will {t} change next year, and how will you let us know?',
  'How does your offer on {t} compare with other banks?',
  'Who decided on {t}, and was the staff consulted?',
  'Is there any news about {t} for small businesses?',
];
const TOXIC = [
  'Your CEO is an idiot and a liar, why should we trust you with {t}?',
  'This damn bank is garbage, fix {t} already!',
  'What a stupid, useless answer about {t}. Are you all morons?',
  'Shut up about {t}, you pathetic clowns.',
  'You are crooks and {t} is a scam, I hate this bank.',
];
const DUPLICATES = [
  'When will you lower the overdraft fees?',
  'when will u lower overdraft fees??',
  'WHEN WILL YOU LOWER THE OVERDRAFT FEES?!',
];
const ADDENDA = [
  '',
  ' Asking for my parents, who bank with you since 1985.',
  ' We run a small bakery and this matters a lot to us.',
  ' Thanks for taking questions tonight.',
  ' I could not find anything on the website.',
];
const AUTHORS = ['priya', 'tom', 'sam', 'lena', 'kofi', 'mei', 'jonas', 'ana', null, 'r.ortiz', 'bea', 'ade'];
const SOURCES = ['twitter', 'web', 'sms', 'app', null];

// The i-th question: every 5th toxic, three near-duplicates (the last one among the newest);
// the others combine a topic, a form and an addendum, so that few repeat.
function question(i) {
  const t = TOPICS[i % TOPICS.length];
  const form = FORMS[Math.floor(i / TOPICS.length) % FORMS.length];
  const addendum = ADDENDA[Math.floor(i / (TOPICS.length * FORMS.length)) % ADDENDA.length];
  let text;
  if (i === 100 || i === 200 || i === N - 3) text = DUPLICATES[Math.floor(i / 100) % DUPLICATES.length];
  else if (i % 5 === 3) text = TOXIC[Math.floor(i / 5) % TOXIC.length].replace('{t}', t);
  else text = form.replace('{t}', t) + addendum;
  const body = { text, source: SOURCES[i % SOURCES.length] };
  const author = AUTHORS[i % AUTHORS.length];
  if (author) body.author = author;
  return body;
}

// Width and height from a PNG's IHDR chunk; throws when `buf` is not a PNG.
function pngSize(buf) {
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.ok(buf.subarray(0, 8).equals(sig), 'PNG signature');
  assert.equal(buf.toString('latin1', 12, 16), 'IHDR');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

let env;  // {server, alice, bob}: serverWithModerators

describe('dashboard screenshot', { timeout: 180000 }, () => {
  env = serverWithModerators('alice', 'bob');

  test(`the dashboard with ${N} questions is saved as dashboard.png`, async (t) => {
    const api = apiClient(env.server.base, env.server.token);
    const ev = await api.post('/api/v1/events', { slug, title: 'Quarterly customer town hall', premoderate: true });
    assert.equal(ev.status, 201, JSON.stringify(ev.body));
    const errors = [];
    const page = await env.alice.context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    const other = await env.bob.context.newPage();
    await other.goto(`${env.server.base}/?event=${slug}`);
    await other.waitForSelector('#conn[data-state="live"]', WAIT);

    for (let i = 0; i < N; i += 20) {
      const batch = [];
      for (let j = i; j < Math.min(N, i + 20); j++) batch.push(api.post(`/api/v1/events/${slug}/questions`, question(j)));
      for (const r of await Promise.all(batch)) assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    const counts = (await api.get(`/api/v1/events/${slug}`)).body.counts;
    assert.equal(Object.values(counts).reduce((a, b) => a + b, 0), N);
    assert.ok(counts.pending > 0, `some questions need review: ${JSON.stringify(counts)}`);

    await page.goto(`${env.server.base}/?event=${slug}`);
    await page.waitForSelector('#conn[data-state="live"]', WAIT);
    await page.waitForFunction(() => document.querySelectorAll('#list .card').length === 50, null, WAIT);
    await page.waitForSelector('#list .card mark.hl', WAIT);
    await page.waitForSelector('#activity .online [data-moderator="bob"]', WAIT);
    // Two questions ticked for a bulk action, the third one focused.
    await page.click('body', { position: { x: 5, y: 790 } });
    await page.keyboard.press('x');
    await page.keyboard.press('j');
    await page.keyboard.press('x');
    await page.keyboard.press('j');
    await page.waitForSelector('#bulkbar .bulk-n', WAIT);
    assert.equal(await page.textContent('#bulkbar .bulk-n'), '2 selected');
    await page.waitForSelector('#details .history, #details h3 + p:not(:has-text("Loading"))', WAIT);
    await page.evaluate(() => window.scrollTo(0, 0));

    const path = join(outputDir(), 'dashboard.png');
    rmSync(path, { force: true });
    await page.screenshot({ path });
    t.diagnostic(`screenshot: ${path}`);
    console.log(`screenshot: ${path}`);
    const png = readFileSync(path);
    const { width, height } = pngSize(png);
    assert.deepEqual({ width, height }, { width: 1280, height: 800 });
    assert.ok(statSync(path).size > 30000, `a real picture, not a blank page: ${statSync(path).size} bytes`);
    assert.deepEqual(errors, []);
    await other.close();
    await page.close();
  });
});
