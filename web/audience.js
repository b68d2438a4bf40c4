// The audience's page (/e/SLUG, no token; docs/api.md "The audience"): ask a question, follow
// one's own questions from "waiting for review" to their outcome, browse the approved ones by
// votes or newest, search them, and vote once each. The browser keeps a random participant id
// and the ids of its questions (audience_logic.js); the server tells it the status of those
// questions only.
//
// Thousands of approved questions: the list is read in pages of 50, the next one when the end
// of the list scrolls into view (or "Show more" is pressed), and the rows off screen cost no
// layout (content-visibility in audience.css); the search asks the server, so any question is
// one search away however deep it is in the order.
//
// The event's switches (questions closed, audience page off, name required) are read again
// every EVENT_POLL_MS and whenever the page becomes visible, so an admin's change shows
// without a reload.

import * as api from './api.js';
import { Memory, isWaiting, ownStatusWords, retryWords } from './audience_logic.js';
import { h, relativeTime } from './views.js';

const $ = (sel) => document.querySelector(sel);
const PAGE = 50;
const POLL_MS = 5000;
const EVENT_POLL_MS = 60000; // light: one small GET a minute per open phone

const slug = decodeURIComponent(location.pathname.split('/')[2] || '');
const memory = new Memory(window.localStorage, slug);
const mine = new Map(); // id -> the question as last read
const list = { sort: 'votes', search: '', cursor: null, shown: new Map(), loading: false, generation: 0 };
let event = null;

function say(box, text, kind = 'info') {
  box.textContent = text;
  box.dataset.kind = kind;
}

// The sentence for an API error; 429 says how long to wait, in words.
function problem(e, what) {
  if (e.status === 429) return `Too many at once. Please try again ${retryWords(e.retryAfter)}.`;
  if (e.status === 0) return `Cannot reach the server; ${what} did not go through. Check your connection and try again.`;
  return e.message || `${what} failed (${e.code})`;
}

function showNotice(text) {
  if (event) event.closed = true;
  $('#a-open').hidden = true;
  const n = $('#a-notice');
  n.textContent = text;
  n.hidden = false;
}

// ---- the event --------------------------------------------------------------------------

const CLOSED_WORDS = 'This event is closed: it takes no questions or votes from its audience.';

// Reads the event and shows what it allows. The first time (and after the page was closed or
// unreachable) it also loads the list and one's questions; afterwards only the switches move.
async function loadEvent() {
  const wasOpen = event && !event.closed;
  let fresh;
  try {
    fresh = await api.getPublicEvent(slug);
  } catch (e) {
    if (e.status === 404) return showNotice(`There is no event "${slug}". Check the link you were given.`);
    if (e.code === 'audience_closed') return showNotice(CLOSED_WORDS);
    if (wasOpen) return; // keep the page; the next read tries again
    showNotice(`${problem(e, 'Loading the event')} Retrying…`);
    setTimeout(loadEvent, POLL_MS);
    return;
  }
  event = fresh;
  $('#a-notice').hidden = true;
  $('#a-open').hidden = false;
  $('#a-title').textContent = event.title || event.slug;
  document.title = `${event.title || event.slug} · questions`;
  showAsking(event.questions_open);
  $('#a-name-hint').textContent = event.name_required ? '(required)' : '(optional)';
  $('#a-author').required = event.name_required;
  if (!wasOpen) {
    loadList(true);
    refreshMine();
  }
}

function showAsking(open) {
  $('#a-ask-box').hidden = !open;
  $('#a-closed').hidden = open;
}

// ---- asking -----------------------------------------------------------------------------

async function ask(ev) {
  ev.preventDefault();
  const message = $('#a-ask-message');
  const text = $('#a-text').value.trim();
  const author = $('#a-author').value.trim();
  if (!text) return say(message, 'Write your question first.', 'error');
  if (event.name_required && !author) return say(message, 'This event asks for your name.', 'error');
  const send = $('#a-send');
  send.disabled = true;
  say(message, 'Sending…');
  try {
    const body = { text, participant: memory.participant };
    if (author) body.author = author;
    const q = await api.askQuestion(slug, body);
    memory.remember(q.id);
    mine.set(q.id, q);
    renderMine();
    $('#a-text').value = '';
    say(message, isWaiting(q.status) ? 'Sent. A moderator will review it shortly.' : `Sent. ${ownStatusWords(q.status)}.`, 'ok');
    schedulePoll();
  } catch (e) {
    if (e.code === 'questions_closed') {
      event.questions_open = false;
      showAsking(false);
    } else if (e.code === 'audience_closed') {
      showNotice(CLOSED_WORDS);
    }
    say(message, problem(e, 'Your question'), 'error');
  } finally {
    send.disabled = false;
  }
}

// ---- one's own questions ----------------------------------------------------------------

function renderMine() {
  const ids = memory.asked.filter((id) => mine.has(id)).reverse(); // newest first
  $('#a-mine-box').hidden = ids.length === 0;
  const items = ids.map((id) => {
    const q = mine.get(id);
    return h(
      'li',
      { class: 'a-own', dataset: { id: String(id), status: q.status } },
      h('p', { class: 'a-text' }, q.text),
      h('p', { class: 'a-own-status' }, ownStatusWords(q.status)),
    );
  });
  $('#a-mine').replaceChildren(...items);
}

let pollTimer = null;

function schedulePoll() {
  if (pollTimer) return;
  const waiting = [...mine.values()].some((q) => isWaiting(q.status));
  if (waiting) pollTimer = setTimeout(() => ((pollTimer = null), refreshMine()), POLL_MS);
}

async function refreshMine() {
  if (memory.asked.length === 0) return;
  try {
    const { items } = await api.getOwnQuestions(slug, memory.participant, memory.asked);
    let published = false;
    for (const q of items) {
      const before = mine.get(q.id);
      if (before && isWaiting(before.status) && !isWaiting(q.status) && q.status === 'approved') published = true;
      mine.set(q.id, q);
    }
    renderMine();
    // One's question was just approved: show it in the list, where it can be voted for.
    if (published) loadList(true);
  } catch {
    // Keep what is shown; the next poll tries again.
  }
  schedulePoll();
}

// ---- browsing and voting ----------------------------------------------------------------

function voteButton(q) {
  const voted = memory.voted.has(q.id);
  return h(
    'button',
    {
      class: 'a-button a-vote',
      type: 'button',
      dataset: { id: String(q.id) },
      'aria-pressed': voted ? 'true' : 'false',
      'aria-label': voted ? `You voted for this (${q.votes} votes)` : `Vote for this (${q.votes} votes)`,
      disabled: voted,
    },
    h('span', { class: 'a-arrow', 'aria-hidden': 'true' }, '▲'),
    h('span', { class: 'a-votes' }, String(q.votes)),
  );
}

function listItem(q) {
  const meta = [q.author ? q.author : 'Anonymous', ' · ', relativeTime(q.created_at)];
  return h(
    'li',
    { class: 'a-item', dataset: { id: String(q.id), status: q.status } },
    voteButton(q),
    h(
      'div',
      { class: 'a-body' },
      h('p', { class: 'a-text' }, q.text),
      h('p', { class: 'a-meta' }, ...meta, q.status === 'answered' ? h('span', { class: 'a-answered' }, ' · Answered') : null),
    ),
  );
}

async function loadList(reset) {
  if (list.loading && !reset) return;
  const generation = reset ? ++list.generation : list.generation;
  if (reset) list.cursor = null;
  list.loading = true;
  const more = $('#a-more');
  more.disabled = true;
  try {
    const page = await api.getPublicQuestions(slug, { sort: list.sort, cursor: list.cursor, limit: PAGE, search: list.search });
    if (generation !== list.generation) return; // a newer load replaced this one
    if (reset) {
      list.shown.clear();
      $('#a-list').replaceChildren();
    }
    // Votes move questions between pages: one already shown is not shown twice.
    const fresh = page.items.filter((q) => !list.shown.has(q.id));
    const rows = fresh.map(listItem);
    fresh.forEach((q, i) => list.shown.set(q.id, rows[i]));
    $('#a-list').append(...rows);
    list.cursor = page.next_cursor;
    more.hidden = !page.next_cursor;
    $('#a-empty').hidden = list.shown.size !== 0 || list.search !== '';
    $('#a-no-match').hidden = list.shown.size !== 0 || list.search === '';
    const n = list.shown.size;
    $('#a-count').textContent = n === 0 ? '' : `${n}${page.next_cursor ? '+' : ''} question${n === 1 ? '' : 's'}${list.search ? ` containing “${list.search}”` : ''}`;
    say($('#a-list-message'), '');
  } catch (e) {
    say($('#a-list-message'), problem(e, 'Loading the questions'), 'error');
  } finally {
    if (generation === list.generation) {
      list.loading = false;
      more.disabled = false;
      if (endInView && list.cursor) loadList(false); // the next page still fits on screen
    }
  }
}

// The end of the list in view (or near it): the next page loads by itself.
let endInView = false;
new IntersectionObserver(
  (entries) => {
    endInView = entries.some((e) => e.isIntersecting);
    if (endInView && list.cursor && !list.loading) loadList(false);
  },
  { rootMargin: '0px 0px 600px 0px' },
).observe($('#a-more'));

function search(ev) {
  ev.preventDefault();
  const words = $('#a-q').value.trim();
  if (words === list.search) return;
  list.search = words;
  loadList(true);
}

async function vote(button) {
  const id = Number(button.dataset.id);
  button.disabled = true;
  try {
    const q = await api.votePublic(id, memory.participant);
    memory.markVoted(id);
    button.replaceWith(voteButton(q));
  } catch (e) {
    button.disabled = false;
    if (e.code === 'not_votable') say($('#a-list-message'), 'This question can no longer be voted for.', 'error');
    else say($('#a-list-message'), problem(e, 'Your vote'), 'error');
  }
}

function sortBy(sort) {
  list.sort = sort;
  for (const b of document.querySelectorAll('.a-sort [data-sort]')) b.setAttribute('aria-pressed', String(b.dataset.sort === sort));
  loadList(true);
}

$('#a-ask').addEventListener('submit', ask);
$('#a-more').addEventListener('click', () => loadList(false));
$('#a-search').addEventListener('submit', search);
// The search box emptied (its ✕, or the words deleted): the whole list again.
$('#a-q').addEventListener('input', () => {
  if ($('#a-q').value.trim() === '' && list.search !== '') search(new Event('submit'));
});
$('#a-refresh').addEventListener('click', () => loadList(true));
for (const b of document.querySelectorAll('.a-sort [data-sort]')) b.addEventListener('click', () => sortBy(b.dataset.sort));
$('#a-list').addEventListener('click', (e) => {
  const b = e.target.closest('.a-vote');
  if (b && !b.disabled) vote(b);
});
// Back to the page after a while: see what happened to one's questions and the event.
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState !== 'visible') return;
  if (!pollTimer) refreshMine();
  if (event) loadEvent();
});
setInterval(() => event && document.visibilityState === 'visible' && loadEvent(), EVENT_POLL_MS);

if (!slug) showNotice('This link names no event. Check the link you were given.');
else loadEvent();
