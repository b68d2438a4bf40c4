// Browser tests of the social sources on the dashboard (web/sources.js, web/origin.js; issue
// 16), against the real server: a bridged question's card links to the original post (and a
// question from elsewhere does not); an admin sees the Sources panel, adds a Bluesky hashtag
// through its form, sees its bridge's status, pauses and resumes it; a moderator has no panel.
// The source points at a closed local port: no test reaches the internet.
// Run: node --test tests/browser/sources.test.mjs   (see support.mjs)

import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { apiClient, launchBrowser, startServer } from './support.mjs';

const WAIT = { timeout: 15000 };
const slug = `src-${Date.now().toString(36)}`;

// A local port where nothing listens.
async function deadPort() {
  const s = net.createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

describe('social sources on the dashboard', { timeout: 120000 }, () => {
  let server;
  let admin;
  let adminBrowser;
  let modBrowser;
  const errors = [];
  const watch = (p, name) => {
    p.on('pageerror', (e) => errors.push(`${name}: ${e.message}`));
  };

  before(async () => {
    server = await startServer();
    admin = apiClient(server.base, server.token);
    const ev = await admin.post('/api/v1/events', { slug, title: 'Sources' });
    assert.equal(ev.status, 201, JSON.stringify(ev.body));
    for (const q of [
      { text: 'From Bluesky: will fees go up?', author: 'did:plc:abc123', source: 'bluesky',
        external_id: 'at://did:plc:abc123/app.bsky.feed.post/3kxyz' },
      { text: 'From Mastodon: when is the vote?', author: 'ana@other.example', source: 'mastodon:mastodon.example',
        external_id: '113456789012345678' },
      { text: 'From a form: is parking free?', author: 'sam', source: 'form', external_id: 'f-1' },
    ]) {
      const r = await admin.post(`/api/v1/events/${slug}/questions`, q);
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    adminBrowser = await launchBrowser(server);
    modBrowser = await launchBrowser(server, 'mo');
  });

  after(async () => {
    if (adminBrowser) await adminBrowser.close();
    if (modBrowser) await modBrowser.close();
    if (server) await server.stop();
  });

  test('a bridged question links to its original post', async () => {
    const page = await modBrowser.context.newPage();
    watch(page, 'mo');
    await page.goto(`${server.base}/?event=${slug}`);
    await page.click('[role="tab"][data-tab="all"]');
    await page.waitForFunction(() => document.querySelectorAll('#list .card').length >= 3, null, WAIT);
    const links = await page.$$eval('#list a.source.origin', (as) => as.map((a) => [a.textContent, a.href, a.rel]));
    const hrefs = links.map((l) => l[1]).sort();
    assert.deepEqual(hrefs, [
      'https://bsky.app/profile/did%3Aplc%3Aabc123/post/3kxyz',
      'https://mastodon.example/@ana@other.example/113456789012345678',
    ]);
    for (const [, , rel] of links) assert.match(rel, /noopener/);
    assert.ok(links.some(([t]) => t.startsWith('Bluesky')));
    assert.ok(links.some(([t]) => t.startsWith('Mastodon (mastodon.example)')));
    // A source that is not a bridge's stays plain text.
    assert.equal(await page.locator('#list span.source', { hasText: 'form' }).count(), 1);
    assert.equal(await page.locator('#sources').isVisible(), false, 'a moderator has no Sources panel');
    await page.close();
  });

  test('an admin adds a source, sees its status, pauses and resumes it', async () => {
    const port = await deadPort();
    const page = await adminBrowser.context.newPage();
    watch(page, 'admin');
    await page.goto(`${server.base}/?event=${slug}`);
    await page.waitForSelector('#sources:not([hidden])', WAIT);
    await page.click('#sources > summary');
    await page.waitForFunction(() => Number(document.querySelector('#sources').dataset.draws) >= 1, null, WAIT);
    await page.selectOption('#sources select[name=kind]', 'bluesky');
    await page.fill('#sources input[name=where]', `ws://127.0.0.1:${port}/subscribe`);
    await page.fill('#sources input[name=tag]', '#TownHall');
    await page.click('#sources .source-add button[type=submit]');
    const row = page.locator('#sources .source-row');
    await row.first().waitFor(WAIT);
    assert.equal(await row.locator('.source-tag').textContent(), '#TownHall');
    // Nothing listens there: the bridge fails and says so.
    await page.waitForFunction(() => /Failing/.test(document.querySelector('#sources .source-status')?.textContent || ''), null, WAIT);
    await page.waitForFunction(() => (document.querySelector('#sources .source-error')?.textContent || '').length > 0, null, WAIT);
    await row.locator('button[data-act=pause]').click();
    await page.waitForFunction(() => /^Paused/.test(document.querySelector('#sources .source-status')?.textContent || ''), null, WAIT);
    const listed = await admin.get(`/api/v1/events/${slug}/sources`);
    assert.equal(listed.body.items[0].paused, true);
    await page.locator('#sources button[data-act=resume]').click();
    await page.waitForFunction(() => document.querySelector('#sources button[data-act=pause]') !== null, null, WAIT);
    assert.equal((await admin.get(`/api/v1/events/${slug}/sources`)).body.items[0].paused, false);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
