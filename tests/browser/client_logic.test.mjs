// The dashboard's pure logic (web/store.js, span segmentation in web/views.js), run in Node
// without a browser: fast checks of the rules the live view depends on.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Memory, isWaiting, ownStatusWords, randomParticipantId, retryWords } from '../../web/audience_logic.js';
import { Connection, parseActivity } from '../../web/connection.js';
import { DisplayConnection } from '../../web/display_connection.js';
import { originLink } from '../../web/origin.js';
import { Store, comparator } from '../../web/store.js';
import { Throttle } from '../../web/throttle.js';
import { bandNote, renderLearning, segmentText } from '../../web/views.js';

const q = (id, status, version, extra = {}) => ({ id, status, version, text: `q${id}`, ...extra });

describe('store', () => {
  test('snapshot sets counts and items; lists are newest first', () => {
    const s = new Store();
    s.applySnapshot({ counts: { pending: 2, held: 1 }, items: [q(1, 'pending', 1), q(3, 'held', 1), q(2, 'pending', 1)] });
    assert.deepEqual(
      s.list(['pending', 'held']).map((x) => x.id),
      [3, 2, 1],
    );
    assert.equal(s.count(['pending', 'held']), 3);
    assert.equal(s.counts.approved, 0);
  });

  test('a lower version never replaces a higher one', () => {
    const s = new Store();
    s.applySnapshot({ counts: {}, items: [q(1, 'approved', 3)] });
    s.upsert([q(1, 'pending', 2)]);
    assert.equal(s.get(1).status, 'approved');
    s.upsert([q(1, 'rejected', 4)]);
    assert.equal(s.get(1).status, 'rejected');
  });

  test('changes move counts by from/to exactly once per message', () => {
    const s = new Store();
    s.applySnapshot({ counts: { held: 1 }, items: [q(1, 'held', 1)] });
    s.applyChange({ seq: 2, change: 'created', from: null, question: q(2, 'pending', 1), actor: null });
    assert.equal(s.counts.pending, 1);
    // The HTTP answer to our own decision lands first; the stream message still moves the counts.
    s.upsert([q(1, 'approved', 2)]);
    assert.equal(s.counts.held, 1);
    s.applyChange({ seq: 3, change: 'updated', from: 'held', question: q(1, 'approved', 2), actor: 'alice' });
    assert.equal(s.counts.held, 0);
    assert.equal(s.counts.approved, 1);
    assert.deepEqual(s.lastActor.get(1), { actor: 'alice', at: undefined, to: 'approved' });
    assert.deepEqual(
      s.list(['pending', 'held']).map((x) => x.id),
      [2],
    );
  });

  test('a fresh snapshot drops what it does not contain', () => {
    const s = new Store();
    s.applySnapshot({ counts: { pending: 1 }, items: [q(1, 'pending', 1)] });
    s.upsert([q(7, 'approved', 2)]);
    s.applySnapshot({ counts: { pending: 1 }, items: [q(2, 'pending', 1)] });
    assert.equal(s.get(1), undefined);
    assert.equal(s.get(7), undefined);
    assert.equal(s.counts.approved, 0);
  });

  test('list cache follows changes', () => {
    const s = new Store();
    s.applySnapshot({ counts: {}, items: [] });
    const a = s.list(null);
    assert.equal(s.list(null), a, 'cached while nothing changes');
    s.upsert([q(5, 'held', 1)]);
    assert.deepEqual(
      s.list(null).map((x) => x.id),
      [5],
    );
  });
});

describe('segmentText (span offsets are code points)', () => {
  const join = (segs) => segs.map((g) => (g.spans.length ? `[${g.text}]` : g.text)).join('');

  test('plain text is one segment', () => {
    assert.deepEqual(segmentText('hello', []), [{ text: 'hello', spans: [], ends: [] }]);
  });

  test('astral characters count as one', () => {
    const text = '🙂🙂 you idiot!';
    // code points: 🙂=0 🙂=1 ' '=2 y=3 o=4 u=5 ' '=6 i=7..t=11 !=12
    const segs = segmentText(text, [{ start: 7, end: 12, attribute: 'insult', weight: 0.9 }]);
    assert.equal(join(segs), '🙂🙂 you [idiot]!');
    assert.deepEqual(segs[1].ends.map((s) => s.attribute), ['insult']);
  });

  test('overlapping spans split into covered pieces; labels go where a span ends', () => {
    const segs = segmentText('abcdefgh', [
      { start: 1, end: 5, attribute: 'toxicity', weight: 0.5 },
      { start: 3, end: 7, attribute: 'threat', weight: 0.9 },
    ]);
    assert.equal(join(segs), 'a[bc][de][fg]h');
    assert.deepEqual(segs[2].spans.map((s) => s.attribute).sort(), ['threat', 'toxicity']);
    assert.deepEqual(segs[2].ends.map((s) => s.attribute), ['toxicity']);
    assert.deepEqual(segs[3].ends.map((s) => s.attribute), ['threat']);
  });

  test('bad spans are ignored or clamped, never throw', () => {
    const segs = segmentText('abc', [
      { start: 2, end: 1, attribute: 'x' },
      { start: -1, end: 2, attribute: 'x' },
      { start: 'a', end: 2, attribute: 'x' },
      { start: 1, end: 99, attribute: 'insult' },
    ]);
    assert.equal(join(segs), 'a[bc]');
  });
});

describe('store: views and frames', () => {
  const frame = (prev, seq, changes, counts = {}) => ({ type: 'frame', prev, seq, counts, changes });
  const up = (question, extra = {}) => ({ op: 'upsert', change: 'created', from: null, actor: null, question, ...extra });
  const rm = (question, extra = {}) => ({ op: 'remove', change: 'updated', actor: 'alice', question, ...extra });
  const sev = (id, s, extra = {}) => q(id, 'pending', 1, { scores: { toxicity: s }, ...extra });

  test('a snapshot is the first page in the server\'s order; counts come from the server', () => {
    const s = new Store();
    s.beginView('k', { sort: 'severity', statuses: ['pending'] });
    assert.equal(s.view.ready, false);
    s.applySnapshot({ counts: { pending: 5 }, items: [sev(1, 0.9), sev(2, 0.5)], next_cursor: '500_2', view: { sort: 'severity', status: ['pending'] } });
    assert.deepEqual(s.viewItems().map((x) => x.id), [1, 2]);
    assert.equal(s.view.complete, false);
    assert.equal(s.view.cursor, '500_2');
    s.applyFrame(frame(1, 2, [up(sev(3, 0.7))], { pending: 6, approved: 1 }));
    assert.deepEqual(s.viewItems().map((x) => x.id), [1, 3, 2], 'placed by severity');
    assert.equal(s.counts.pending, 6);
    assert.equal(s.counts.approved, 1);
    // Sorting after everything loaded while pages remain: left for the page that brings it.
    s.applyFrame(frame(2, 3, [up(sev(4, 0.1))], { pending: 7 }));
    assert.deepEqual(s.viewItems().map((x) => x.id), [1, 3, 2]);
    s.appendPage([sev(4, 0.1), sev(5, 0.05)], null);
    assert.deepEqual(s.viewItems().map((x) => x.id), [1, 3, 2, 4, 5]);
    assert.equal(s.view.complete, true);
  });

  test('removals and upserts apply by version; a newer question is never replaced by an older', () => {
    const s = new Store();
    s.beginView('k', { sort: 'newest', statuses: ['pending'] });
    s.applySnapshot({ counts: { pending: 2 }, items: [q(2, 'pending', 1), q(1, 'pending', 3)], next_cursor: null });
    s.applyFrame(frame(5, 6, [rm(q(1, 'approved', 2), { from: 'pending' })], { pending: 2 }));
    assert.deepEqual(s.viewItems().map((x) => x.id), [2, 1], 'an older removal does not remove a newer question');
    s.applyFrame(frame(6, 7, [rm(q(2, 'approved', 2), { from: 'pending' })], { pending: 1, approved: 1 }));
    assert.deepEqual(s.viewItems().map((x) => x.id), [1]);
    assert.equal(s.get(2).status, 'approved');
    assert.deepEqual(s.lastActor.get(2), { actor: 'alice', at: undefined, to: 'approved' });
    s.applyFrame(frame(7, 8, [up(q(9, 'pending', 1))], { pending: 2, approved: 1 }));
    assert.deepEqual(s.viewItems().map((x) => x.id), [9, 1], 'newest first');
  });

  test('a page frame makes the loaded items its page; what lies past it stays while the page ends where it did', () => {
    const s = new Store();
    s.beginView('k', { sort: 'newest', statuses: ['pending'] });
    s.applySnapshot({ counts: { pending: 5 }, items: [q(5, 'pending', 1), q(4, 'pending', 1)], next_cursor: '0_4' });
    s.appendPage([q(3, 'pending', 1), q(2, 'pending', 1)], '0_2');
    // Two newer questions push 5 and 4 below the page: no entry for them, the page says so.
    const page = (prev, seq, changes, ids, next) => ({ ...frame(prev, seq, changes, { pending: 7 }), page: ids, next_cursor: next });
    s.applyFrame(page(1, 3, [up(q(7, 'pending', 1)), up(q(6, 'pending', 1))], [7, 6], '0_6'));
    assert.deepEqual(s.viewItems().map((x) => x.id), [7, 6], 'the page; the rest is loaded again from its new end');
    assert.equal(s.view.cursor, '0_6');
    assert.equal(s.view.complete, false);
    assert.equal(s.counts.pending, 7);
    s.appendPage([q(5, 'pending', 1), q(4, 'pending', 1)], '0_4');
    // 6 is decided: it leaves, 5 moves up into the page ("change": "page"), the end moves.
    s.applyFrame(page(3, 4, [rm(q(6, 'approved', 2), { from: 'pending' }), up(q(5, 'pending', 1), { change: 'page' })], [7, 5], '0_5'));
    assert.deepEqual(s.viewItems().map((x) => x.id), [7, 5]);
    assert.equal(s.get(6).status, 'approved');
    assert.equal(s.lastActor.has(5), false, 'a question that only moved up has no actor');
    s.appendPage([q(4, 'pending', 1)], null);
    // A frame that leaves the page's end in place keeps what was loaded past it.
    s.applyFrame(page(4, 5, [up(q(7, 'held', 2), { change: 'updated', from: 'pending' })], [7, 5], '0_5'));
    assert.deepEqual(s.viewItems().map((x) => x.id), [7, 5, 4]);
    assert.equal(s.get(7).version, 2);
    assert.equal(s.view.complete, true);
  });

  test('our own decision leaves a state view at once', () => {
    const s = new Store();
    s.beginView('k', { statuses: ['pending', 'held'] });
    s.applySnapshot({ counts: { pending: 2 }, items: [q(2, 'pending', 1), q(1, 'held', 1)] });
    s.upsert([q(2, 'approved', 2)]);
    assert.deepEqual(s.viewItems().map((x) => x.id), [1]);
    assert.equal(s.counts.pending, 2, 'counts wait for the stream');
  });
});

describe('store: near-duplicate groups', () => {
  const frame = (prev, seq, changes) => ({ type: 'frame', prev, seq, counts: {}, changes });
  const created = (question) => ({ op: 'upsert', change: 'created', from: null, actor: null, question });
  const qc = (id, cid, size, status = 'pending') => q(id, status, 1, { cluster: { id: cid, size } });

  test('a created question of a group raises the size shown for the others, once', () => {
    const s = new Store();
    s.beginView('k', { statuses: ['pending'] });
    s.applySnapshot({ counts: {}, items: [qc(11, 10, 2), qc(10, 10, 2), qc(5, 5, 1)] });
    assert.equal(s.clusterSize(s.get(10)), 2);
    s.applyFrame(frame(1, 2, [created(qc(12, 10, 3))]));
    assert.equal(s.clusterSize(s.get(10)), 3, 'the older members show the new size');
    assert.equal(s.clusterSize(s.get(11)), 3);
    // The same creation delivered again (a resume overlapping what we hold) is not counted twice.
    s.applyFrame(frame(2, 3, [created(qc(12, 10, 3))]));
    assert.equal(s.clusterSize(s.get(10)), 3);
    // A server that reports the creation with a stale size still grows the group by one.
    s.applyFrame(frame(3, 4, [created(qc(13, 10, 1))]));
    assert.equal(s.clusterSize(s.get(11)), 4);
    // A question joining a former singleton makes it a group of two.
    s.applyFrame(frame(4, 5, [created(qc(14, 5, 2))]));
    assert.equal(s.clusterSize(s.get(5)), 2);
    assert.equal(s.clusterSize(q(99, 'pending', 1)), 1, 'no cluster: no duplicates');
  });

  test('a fresh snapshot forgets the sizes it does not show', () => {
    const s = new Store();
    s.applySnapshot({ counts: {}, items: [qc(2, 1, 5)] });
    s.applySnapshot({ counts: {}, items: [qc(3, 3, 1)] });
    assert.equal(s.clusterSize(qc(4, 1, 2)), 2);
  });
});

describe('store: sort=impact', () => {
  const frame = (prev, seq, changes) => ({ type: 'frame', prev, seq, counts: {}, changes });
  const change = (op, question, from = 'pending') => ({ op, change: 'updated', from, actor: 'alice', question });
  // A question of group `cid` with `review` members in review and heat `heat`.
  const qg = (id, cid, review, heat, status = 'pending', version = 1) =>
    q(id, status, version, { cluster: { id: cid, size: review, in_review: review, heat } });

  test('groups that settle the most come first, a group together, newest first inside', () => {
    const cmp = comparator('impact');
    const items = [qg(1, 1, 1, 500), qg(2, 2, 3, 100), qg(3, 2, 3, 100), qg(4, 4, 1, 900), qg(5, 2, 3, 100)];
    assert.deepEqual(
      [...items].sort(cmp).map((x) => x.id),
      [5, 3, 2, 4, 1],
      'the group of three first; then by heat: group 4 (900) before group 1 (500)',
    );
  });

  test('a decision in a group moves its other cards after the next frame', () => {
    const s = new Store();
    s.beginView('k', { sort: 'impact', statuses: ['pending', 'held'] });
    s.applySnapshot({
      counts: {},
      view: { sort: 'impact', status: ['pending', 'held'] },
      items: [qg(3, 2, 2, 100), qg(2, 2, 2, 100), qg(7, 7, 1, 300), qg(5, 5, 1, 200)],
    });
    assert.deepEqual(s.viewItems().map((x) => x.id), [3, 2, 7, 5]);
    // #3 approved: group 2 has one member in review left and is the coolest group.
    s.applyFrame(frame(1, 2, [change('remove', qg(3, 2, 1, 100, 'approved', 2))]));
    assert.deepEqual(s.viewItems().map((x) => x.id), [7, 5, 2]);
    // A new member of group 5 in review: group 5 first.
    s.applyFrame(frame(2, 3, [{ op: 'upsert', change: 'created', from: null, actor: null, question: qg(9, 5, 2, 250) }]));
    assert.deepEqual(s.viewItems().map((x) => x.id), [9, 5, 7, 2]);
  });
});

describe('connection: messages', () => {
  const make = (onActivity) => {
    const seen = { snapshots: 0, frames: 0, errors: 0, activity: [] };
    const c = new Connection('demo', {
      onSnapshot: () => seen.snapshots++,
      onFrame: () => seen.frames++,
      onError: () => seen.errors++,
      onState: () => {},
      onActivity: onActivity === undefined ? (a) => seen.activity.push(a) : onActivity,
    });
    return { c, seen };
  };

  test('activity is read whatever the subscription; other events and bad members are dropped', () => {
    const { c, seen } = make();
    c.subId = 4;
    c._handle({
      type: 'activity',
      event: 'demo',
      moderators: [{ name: 'alice', role: 'moderator', connections: 2 }, { name: 5 }, null, { name: 'bob' }],
      arrivals_per_minute: 37,
    });
    assert.deepEqual(seen.activity, [
      {
        moderators: [
          { name: 'alice', role: 'moderator', connections: 2 },
          { name: 'bob', role: null, connections: 1 },
        ],
        arrivalsPerMinute: 37,
      },
    ]);
    c._handle({ type: 'activity', event: 'other', moderators: [], arrivals_per_minute: 1 });
    assert.equal(seen.activity.length, 1, 'another event\'s activity is not ours');
    assert.deepEqual(parseActivity({ type: 'activity', arrivals_per_minute: -3, moderators: 'x' }), null);
  });

  test('unknown, malformed and foreign messages are ignored without throwing', () => {
    const { c, seen } = make();
    for (const m of [null, 3, 'x', [], {}, { type: 'hello' }, { type: 'frame', subscription: 0, seq: 1, prev: 0 }]) {
      c._handle(m);
    }
    assert.deepEqual(seen, { snapshots: 0, frames: 0, errors: 0, activity: [] });
  });

  test('a subscribe asks for activity only when there is a callback for it', () => {
    const sent = [];
    const ws = { send: (m) => sent.push(JSON.parse(m)) };
    make().c._sendSubscribe(ws);
    make(null).c._sendSubscribe(ws);
    assert.equal(sent[0].activity, true);
    assert.equal(sent[1].activity, undefined);
  });
});

describe('connection: extra subscribe members and the display stream', () => {
  test('extra members go into every subscribe, without replacing its own', () => {
    const sent = [];
    const c = new Connection('demo', {
      onSnapshot: () => {},
      onFrame: () => {},
      onState: () => {},
      extra: { shortlist: true, type: 'not-this', id: 99 },
    });
    c.subscribe({ status: ['approved'] }, 5);
    c._sendSubscribe({ send: (m) => sent.push(JSON.parse(m)) });
    assert.equal(sent[0].shortlist, true);
    assert.equal(sent[0].type, 'subscribe');
    assert.equal(sent[0].id, 1);
    assert.deepEqual(sent[0].view, { status: ['approved'] });
  });

  test('with extra.ack each snapshot and applied frame is acknowledged with its seq, after its callback', () => {
    const sent = [];
    const order = [];
    const c = new Connection('demo', {
      onSnapshot: () => order.push('snapshot'),
      onFrame: () => order.push('frame'),
      onState: () => {},
      extra: { page: true, ack: true },
    });
    c.subscribe({ status: ['pending'] }, 50);
    c.ws = { readyState: 1, send: (m) => { sent.push(JSON.parse(m)); order.push('ack'); } };
    c._handle({ type: 'snapshot', subscription: 1, epoch: 'e', seq: 10, items: [] });
    c._handle({ type: 'frame', subscription: 1, prev: 10, seq: 14, changes: [] });
    c._handle({ type: 'frame', subscription: 1, prev: 12, seq: 13, changes: [] }); // old: not applied
    c._handle({ type: 'frame', subscription: 0, prev: 14, seq: 20, changes: [] }); // another subscription
    assert.deepEqual(sent, [{ type: 'ack', seq: 10 }, { type: 'ack', seq: 14 }]);
    assert.deepEqual(order, ['snapshot', 'ack', 'frame', 'ack']);
    // Without it, nothing is acknowledged.
    const quiet = [];
    const d = new Connection('demo', { onSnapshot: () => {}, onFrame: () => {}, onState: () => {} });
    d.subscribe({}, 50);
    d.ws = { readyState: 1, send: (m) => quiet.push(m) };
    d._handle({ type: 'snapshot', subscription: 1, epoch: 'e', seq: 3, items: [] });
    assert.deepEqual(quiet, []);
  });

  test('the display takes whole display messages of its own event only', () => {
    const shown = [];
    const states = [];
    const d = new DisplayConnection('town', { onDisplay: (m) => shown.push(m.now), onState: (s) => states.push(s.state) });
    d._handle({ type: 'display', event: 'other', now: { id: 1 } });
    d._handle({ type: 'frame', event: 'town' });
    d._handle({ type: 'display', event: 'town', seq: 4, now: { id: 2 } });
    assert.deepEqual(shown, [{ id: 2 }]);
    assert.equal(d.seq, 4);
    assert.deepEqual(states, ['live']);
  });
});

describe('audience page logic', () => {
  test('a Retry-After in words', () => {
    assert.equal(retryWords(1), 'in 1 second');
    assert.equal(retryWords(0), 'in 1 second');
    assert.equal(retryWords(null), 'in 1 second');
    assert.equal(retryWords(20), 'in 20 seconds');
    assert.equal(retryWords(59), 'in 59 seconds');
    assert.equal(retryWords(60), 'in about a minute');
    assert.equal(retryWords(89), 'in about a minute');
    assert.equal(retryWords(180), 'in about 3 minutes');
  });

  test("one's own question in words", () => {
    assert.equal(ownStatusWords('pending'), 'Waiting for review');
    assert.equal(ownStatusWords('held'), 'Waiting for review');
    assert.match(ownStatusWords('approved'), /^Approved/);
    assert.equal(ownStatusWords('answered'), 'Answered');
    assert.equal(ownStatusWords('rejected'), 'Not published');
    assert.equal(ownStatusWords('auto_rejected'), 'Not published', 'no word on who rejected it');
    assert.equal(isWaiting('held'), true);
    assert.equal(isWaiting('approved'), false);
  });

  test('the browser keeps one participant id, its questions and its votes per event', () => {
    const data = new Map();
    const storage = { getItem: (k) => (data.has(k) ? data.get(k) : null), setItem: (k, v) => data.set(k, String(v)) };
    let n = 0;
    const m = new Memory(storage, 'hall', () => `id-${(n += 1)}`);
    assert.equal(m.participant, 'id-1');
    m.remember(7);
    m.remember(7);
    m.markVoted(3);
    const again = new Memory(storage, 'hall', () => `id-${(n += 1)}`);
    assert.equal(again.participant, 'id-1', 'the same participant after a reload');
    assert.deepEqual(again.asked, [7]);
    assert.deepEqual([...again.voted], [3]);
    const other = new Memory(storage, 'other', () => 'unused');
    assert.equal(other.participant, 'id-1');
    assert.deepEqual(other.asked, [], 'questions are remembered per event');
    for (let id = 1; id <= 150; id += 1) other.remember(id);
    assert.equal(other.asked.length, 100, 'at most as many as the server answers at a time');
    assert.equal(other.asked[0], 51, 'the oldest are forgotten first');
    // A storage that refuses writes (private mode) still gives a working page.
    const broken = { getItem: () => null, setItem: () => { throw new Error('full'); } };
    const b = new Memory(broken, 'hall', () => 'x');
    b.remember(1);
    assert.equal(b.participant, 'x');
    const id = randomParticipantId();
    assert.match(id, /^[0-9a-f]{32}$/);
    assert.notEqual(randomParticipantId(), id);
  });
});

describe('learning header', () => {
  const report = (band) => ({
    enabled: true,
    learned_from: { decisions: 400, groups: 180 },
    bound: { now: 3.2 },
    top_words: [],
    band,
  });
  const narrowed = {
    narrowing: true,
    narrowed: true,
    approve_below_probability: 0.2,
    reject_from_probability: 0.7,
    approve: { checked_groups: 120, estimated_error: 0.081 },
    reject: { checked_groups: 0, estimated_error: 0 },
  };

  test('a narrowed band is named in the header and its evidence in the title', () => {
    const box = { dataset: {}, hidden: true, textContent: '', title: '' };
    renderLearning(box, report(narrowed));
    assert.equal(box.textContent, 'Learned from 400 decisions, review band narrowed');
    assert.equal(box.dataset.narrowed, 'true');
    assert.match(box.title, /approves below P\(hostile\) 0\.2 \(8% wrong on 120 held-out decisions\)/);
    assert.doesNotMatch(box.title, /rejects from/);
    assert.match(bandNote({ ...narrowed, reject: { checked_groups: 40, estimated_error: 0.05 } }), / and rejects from P\(hostile\) 0\.7 \(5% wrong on 40/);
  });

  test('a band the policy keeps at its width, or not narrowed yet, is not mentioned', () => {
    for (const band of [{ ...narrowed, narrowing: false }, { ...narrowed, narrowed: false }, undefined]) {
      const box = { dataset: {}, hidden: true, textContent: '', title: '' };
      renderLearning(box, report(band));
      assert.equal(box.textContent, 'Learned from 400 decisions');
      assert.equal(box.dataset.narrowed, 'false');
      assert.doesNotMatch(box.title, /narrowed/);
    }
  });

  test('the prior shift is named while in force and raising, with its estimate in the title', () => {
    const prior = { in_force: true, shift: 0.69, estimated_hostile_share: 0.667, reference_share: 0.5,
      questions_read: 5400, window: 2000, until_labelled_groups: 100 };
    const box = { dataset: {}, hidden: true, textContent: '', title: '' };
    renderLearning(box, { ...report(undefined), prior });
    assert.equal(box.textContent, 'Learned from 400 decisions, scores +0.69 (67% hostile)');
    assert.equal(box.dataset.prior, 'true');
    assert.match(box.title, /Until 100 groups are decided: the event's latest 2000 questions look 67% hostile .* calibrated for 50%.* raised by 0\.69 logits/);
    for (const p of [{ ...prior, in_force: false }, { ...prior, shift: 0 }, undefined]) {
      renderLearning(box, { ...report(undefined), prior: p });
      assert.equal(box.textContent, 'Learned from 400 decisions');
      assert.equal(box.dataset.prior, 'false');
      assert.doesNotMatch(box.title, /hostile by the model/);
    }
    renderLearning(box, { ...report(undefined), enabled: false, prior });
    assert.doesNotMatch(box.textContent, /scores \+/);
  });

  test('auto-decided, unsure is named once active, and its rule explained in the title', () => {
    const unsure = { enabled: true, active: true, review_from_members: 3, min_labelled_groups: 100 };
    const box = { dataset: {}, hidden: true, textContent: '', title: '' };
    renderLearning(box, { ...report(undefined), unsure });
    assert.equal(box.textContent, 'Learned from 400 decisions, unsure texts auto-decided until 3 ask');
    assert.equal(box.dataset.unsure, 'true');
    assert.match(box.title, /Auto-decided, unsure: on; .* until 3 questions join its group/);
    renderLearning(box, { ...report(undefined), unsure: { ...unsure, active: false } });
    assert.equal(box.textContent, 'Learned from 400 decisions');
    assert.equal(box.dataset.unsure, 'false');
    assert.match(box.title, /Auto-decided, unsure: from 100 decided groups/);
  });
});

describe('throttle (the gauge\'s live updates)', () => {
  // A clock that moves only when told: timers run when their time comes.
  function fakeClock() {
    let now = 0;
    let timers = [];
    return {
      now: () => now,
      setTimeout: (f, ms) => {
        const t = { at: now + ms, f };
        timers.push(t);
        return t;
      },
      clearTimeout: (t) => {
        timers = timers.filter((x) => x !== t);
      },
      async advance(ms) {
        const end = now + ms;
        for (;;) {
          timers.sort((a, b) => a.at - b.at);
          const next = timers[0];
          if (!next || next.at > end) break;
          timers.shift();
          now = next.at;
          next.f();
          await new Promise((r) => setImmediate(r)); // let the run's promise settle
        }
        now = end;
      },
    };
  }

  test('a burst of pokes runs once at once, then at most once per interval, and the last poke is followed by a run', async () => {
    const clock = fakeClock();
    const runs = [];
    const t = new Throttle(3000, () => runs.push(clock.now()), clock);
    t.poke();
    await clock.advance(0);
    assert.deepEqual(runs, [0], 'the first poke after a quiet period runs at once');
    // 100 pokes in the next 2.9 s (a flood of frames): one more run, when the interval ends.
    for (let i = 0; i < 100; i += 1) {
      await clock.advance(29);
      t.poke();
    }
    await clock.advance(10000);
    assert.deepEqual(runs, [0, 3000]);
    // Quiet for a while: the next poke runs at once again.
    t.poke();
    await clock.advance(0);
    assert.deepEqual(runs, [0, 3000, 12900]);
    t.cancel();
  });

  test('a poke during a slow run gives one more run after it, never two at once', async () => {
    const clock = fakeClock();
    let running = 0;
    let most = 0;
    let release;
    let runs = 0;
    const t = new Throttle(1000, () => {
      runs += 1;
      running += 1;
      most = Math.max(most, running);
      return new Promise((resolve) => {
        release = () => {
          running -= 1;
          resolve();
        };
      });
    }, clock);
    t.poke();
    await clock.advance(0);
    t.poke();
    t.poke();
    await clock.advance(5000);
    assert.equal(runs, 1, 'no second run while the first is in flight');
    release();
    await new Promise((r) => setImmediate(r));
    await clock.advance(5000);
    assert.equal(runs, 2, 'the pokes during the run gave exactly one more');
    release();
    assert.equal(most, 1);
  });

  test('cancel drops a scheduled run', async () => {
    const clock = fakeClock();
    let runs = 0;
    const t = new Throttle(1000, () => (runs += 1), clock);
    t.poke();
    await clock.advance(0);
    t.poke();
    t.cancel();
    await clock.advance(5000);
    assert.equal(runs, 1);
  });
});

describe('originLink', () => {
  test('the link a bridge stored wins, https only; else it is rebuilt', () => {
    const masto = { source: 'mastodon:m.example', external_id: '42', author: 'ana@other.example' };
    assert.equal(originLink({ ...masto, origin_url: 'https://other.example/@ana/7' }), 'https://other.example/@ana/7');
    assert.equal(originLink({ ...masto, origin_url: 'javascript:alert(1)' }), 'https://m.example/@ana@other.example/42');
    assert.equal(originLink({ ...masto, origin_url: 'http://other.example/@ana/7' }), 'https://m.example/@ana@other.example/42');
    assert.equal(originLink({ ...masto, origin_url: 'https://u:p@evil.example/' }), 'https://m.example/@ana@other.example/42');
    assert.equal(originLink({ ...masto, origin_url: null }), 'https://m.example/@ana@other.example/42');
    assert.equal(originLink({ source: 'api', external_id: 'x', origin_url: null }), null);
  });
});
