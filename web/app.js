// app: wires the dashboard together — reads the event slug from ?event=, connects the stream to
// the store, loads pages for the tabs, renders on change, and handles clicks and keys.

import * as api from './api.js';
import { Connection } from './connection.js';
import { Store } from './store.js';
import * as views from './views.js';

const TABS = [
  { id: 'review', label: 'Review', statuses: ['pending', 'held'] },
  { id: 'approved', label: 'Approved', statuses: ['approved'] },
  { id: 'rejected', label: 'Rejected', statuses: ['rejected', 'auto_rejected'] },
  { id: 'all', label: 'All', statuses: null },
];
const PAGE_SIZE = 50; // cards in the DOM at once; the rest is paged
const FETCH_LIMIT = 200; // questions per list request (the API allows up to 500)
const MODERATOR_KEY = 'tribune.moderator';

const $ = (sel) => document.querySelector(sel);

const params = new URLSearchParams(location.search);
const slug = (params.get('event') || 'demo').trim() || 'demo';

const store = new Store();
const ui = {
  tab: 'review',
  page: Object.fromEntries(TABS.map((t) => [t.id, 0])),
  selectedId: null,
  selectedIndex: 0, // where the selection was, to keep the place when that card leaves the list
  busy: new Set(), // ids with a decision in flight
  notes: new Map(), // id -> {kind, text} shown on the card
  conn: { state: 'connecting' },
  event: null,
  history: new Map(), // id -> {loading, error, items} for the details panel
};
// Per tab: how far its list has been loaded from the API. Reset by each fresh snapshot.
const feeds = {};
function resetFeeds() {
  for (const t of TABS) feeds[t.id] = { cursor: null, exhausted: false, loading: false, loaded: false, error: null };
}
resetFeeds();

const tabOf = (id) => TABS.find((t) => t.id === id);

// ---- render scheduling -------------------------------------------------------------------

let renderQueued = false;
function scheduleRender() {
  if (renderQueued) return;
  renderQueued = true;
  // requestAnimationFrame does not run in hidden tabs; the timeout keeps those current too.
  const run = () => {
    if (!renderQueued) return;
    renderQueued = false;
    render();
  };
  requestAnimationFrame(run);
  setTimeout(run, 100);
}

function currentItems() {
  const tab = tabOf(ui.tab);
  return store.list(tab.statuses);
}

function tabTotal(tab) {
  return store.count(tab.statuses);
}

function pageItems() {
  const all = currentItems();
  const page = ui.page[ui.tab];
  return all.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
}

function render() {
  const tab = tabOf(ui.tab);
  const feed = feeds[ui.tab];
  views.renderCounts($('#counts'), store.counts);
  views.renderTabs($('#tabs'), TABS, ui.tab, (id) => tabTotal(tabOf(id)));
  views.renderConnection($('#conn'), ui.conn);

  const all = currentItems();
  // Pages past what is loaded are valid while the server has more (they load on demand).
  const known = feed.exhausted ? all.length : Math.max(all.length, tabTotal(tab));
  const lastPage = Math.max(0, Math.ceil(known / PAGE_SIZE) - 1);
  if (ui.page[ui.tab] > lastPage) ui.page[ui.tab] = lastPage;
  const page = ui.page[ui.tab];
  const items = all.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);

  // Keep a selection: the same question if it is still here, else the one now at its place.
  const idx = items.findIndex((q) => q.id === ui.selectedId);
  if (idx >= 0) {
    ui.selectedIndex = idx;
  } else if (items.length) {
    ui.selectedIndex = Math.min(ui.selectedIndex, items.length - 1);
    ui.selectedId = items[ui.selectedIndex].id;
  } else {
    ui.selectedId = null;
  }

  views.renderList($('#list'), items, { selectedId: ui.selectedId, busy: ui.busy, notes: ui.notes });
  const loading = feed.loading || (ui.tab === 'review' && store.rev === 0);
  if (items.length) $('#list-empty').replaceChildren();
  else views.renderEmpty($('#list-empty'), { loading, error: feed.error, tabLabel: tab.label });

  const total = Math.max(tabTotal(tab), all.length);
  const hasNext = (page + 1) * PAGE_SIZE < all.length || (!feed.exhausted && (page + 1) * PAGE_SIZE < total);
  views.renderPager($('#pager'), { page, pageSize: PAGE_SIZE, shown: items.length, total, hasNext, loading: feed.loading });

  const sel = ui.selectedId != null ? store.get(ui.selectedId) : null;
  renderDetails(sel);

  const review = store.count(['pending', 'held']);
  const title = ui.event ? ui.event.title : slug;
  document.title = `${review ? `(${views.fmtNum(review)}) ` : ''}${title} · Tribune`;

  ensureLoaded();
}

// ---- details panel with history (fetched on demand, shortly after the selection settles) ---

let detailsFor = null;
let historyTimer = null;
function renderDetails(q) {
  const id = q ? q.id : null;
  const key = q ? `${q.id}|${q.version}` : null;
  const hist = id != null ? ui.history.get(key) : null;
  views.renderDetails($('#details'), q, hist);
  if (key === detailsFor) return;
  detailsFor = key;
  clearTimeout(historyTimer);
  if (!q || hist) return;
  historyTimer = setTimeout(async () => {
    ui.history.set(key, { loading: true, items: [] });
    try {
      const res = await api.listDecisions(q.id);
      ui.history.set(key, { items: res.items || [] });
    } catch (e) {
      ui.history.set(key, { error: e.message, items: [] });
    }
    if (ui.history.size > 200) ui.history.delete(ui.history.keys().next().value);
    scheduleRender();
  }, 250);
}

// ---- loading pages -----------------------------------------------------------------------

// Loads more of the active tab's list while the current page is not full and the server has more.
async function ensureLoaded() {
  const tab = tabOf(ui.tab);
  const feed = feeds[tab.id];
  if (feed.loading || feed.exhausted || feed.error) return;
  if (tab.id === 'review' && store.rev === 0) return; // the snapshot comes first
  const have = store.list(tab.statuses).length;
  const need = (ui.page[tab.id] + 1) * PAGE_SIZE;
  if (feed.loaded && have >= need) return;
  if (tab.id === 'review' && !feed.loaded && have >= Math.min(need, tabTotal(tab))) return;
  feed.loading = true;
  const gen = snapshotGen;
  try {
    // Review's first request overlaps the snapshot (its newest 500), so ask for that many at once.
    const limit = tab.id === 'review' && !feed.loaded ? 500 : FETCH_LIMIT;
    const res = await api.listQuestions(slug, { statuses: tab.statuses, limit, cursor: feed.cursor });
    if (gen !== snapshotGen) return; // a fresh snapshot reset everything meanwhile
    store.upsert(res.items || []);
    feed.cursor = res.next_cursor || null;
    feed.exhausted = !res.next_cursor;
    feed.loaded = true;
  } catch (e) {
    if (gen !== snapshotGen) return;
    feed.error = `${e.message} (${e.code})`;
    // Try again a little later rather than hammering a failing server.
    setTimeout(() => {
      feed.error = null;
      scheduleRender();
    }, 5000);
  } finally {
    if (gen === snapshotGen) feed.loading = false;
    scheduleRender();
  }
}

// ---- stream ------------------------------------------------------------------------------

let snapshotGen = 0;
const conn = new Connection(slug, {
  onSnapshot(msg) {
    snapshotGen += 1;
    resetFeeds();
    store.applySnapshot(msg);
    // The snapshot holds the newest of the review queue; older ones load when paged to.
    const review = feeds.review;
    review.loaded = (msg.items || []).length >= store.count(['pending', 'held']);
    review.exhausted = review.loaded;
    ui.history.clear();
    scheduleRender();
  },
  onChange(msg) {
    store.applyChange(msg);
    const q = msg.question;
    if (q && msg.change === 'updated') {
      ui.notes.delete(q.id);
      for (const k of ui.history.keys()) if (k.startsWith(`${q.id}|`)) ui.history.delete(k);
    }
    scheduleRender();
  },
  onState(st) {
    ui.conn = st;
    scheduleRender();
  },
});

// While waiting to reconnect, keep the countdown moving.
setInterval(() => {
  if (ui.conn.state === 'waiting') views.renderConnection($('#conn'), ui.conn);
}, 1000);
setInterval(() => views.refreshTimes(document), 15000);

// ---- decisions ---------------------------------------------------------------------------

function moderator() {
  return $('#moderator').value.trim();
}

let warnedNoName = false;
async function decide(id, action) {
  const q = store.get(id);
  if (!q || ui.busy.has(id)) return;
  if (!moderator() && !warnedNoName) {
    warnedNoName = true;
    views.toast($('#toasts'), 'Tip: enter your name (top right) so other moderators see who decided.', 'info');
  }
  ui.busy.add(id);
  ui.notes.delete(id);
  scheduleRender();
  try {
    const updated = await api.decide(id, { action, expectedVersion: q.version, moderator: moderator() });
    store.upsert([updated]);
  } catch (e) {
    if (e.code === 'version_conflict' && e.body && e.body.current) {
      const cur = e.body.current;
      store.upsert([cur]);
      const text = await conflictMessage(q, cur, action);
      ui.notes.set(id, { kind: 'warn', text });
      views.toast($('#toasts'), text, 'warn', 10000);
    } else {
      const text = `Could not ${action} #${id}: ${e.message} (${e.code})`;
      ui.notes.set(id, { kind: 'error', text });
      views.toast($('#toasts'), text, 'error');
    }
  } finally {
    ui.busy.delete(id);
    scheduleRender();
  }
}

// "Not applied: bob approved #42 at 05:31:10 (now version 3; you saw version 2)."
async function conflictMessage(seen, cur, action) {
  let who = null;
  let at = cur.updated_at;
  const last = store.lastActor.get(cur.id);
  if (last && last.to === cur.status) {
    who = last.actor;
    at = last.at || at;
  } else {
    try {
      const res = await api.listDecisions(cur.id);
      const d = (res.items || []).at(-1);
      if (d) {
        who = d.actor;
        at = d.at || at;
      }
    } catch {
      /* the message still says what the state is */
    }
  }
  const state = views.STATUS_LABELS[cur.status] || cur.status;
  const by = who ? `by ${who}` : 'automatically or by someone else';
  return (
    `Your ${action} on #${cur.id} was not applied: it is already ${state} ${by}` +
    ` at ${views.absoluteTime(at)} (version ${cur.version}; you saw version ${seen.version}).`
  );
}

// ---- selection and keys ------------------------------------------------------------------

function select(id, { scroll = true } = {}) {
  ui.selectedId = id;
  const items = pageItems();
  const idx = items.findIndex((q) => q.id === id);
  if (idx >= 0) ui.selectedIndex = idx;
  render();
  if (scroll) {
    const el = $(`#list .card[data-id="${CSS.escape(String(id))}"]`);
    if (el) el.scrollIntoView({ block: 'nearest' });
  }
}

function move(delta) {
  const items = pageItems();
  if (!items.length) return;
  let idx = items.findIndex((q) => q.id === ui.selectedId);
  if (idx < 0) idx = delta > 0 ? -1 : items.length;
  const next = idx + delta;
  if (next >= items.length) {
    if (turnPage(+1)) {
      ui.selectedIndex = 0;
      const first = pageItems()[0];
      if (first) select(first.id);
    }
    return;
  }
  if (next < 0) {
    if (turnPage(-1)) {
      const prev = pageItems();
      if (prev.length) select(prev[prev.length - 1].id);
    }
    return;
  }
  select(items[next].id);
}

function turnPage(delta) {
  const p = ui.page[ui.tab] + delta;
  if (p < 0) return false;
  const all = currentItems();
  const feed = feeds[ui.tab];
  const total = Math.max(tabTotal(tabOf(ui.tab)), all.length);
  if (delta > 0 && p * PAGE_SIZE >= all.length && (feed.exhausted || p * PAGE_SIZE >= total)) return false;
  ui.page[ui.tab] = p;
  ui.selectedIndex = 0;
  ui.selectedId = null;
  render();
  $('.main').scrollTop = 0;
  window.scrollTo(0, 0);
  return true;
}

function switchTab(id) {
  if (!tabOf(id) || ui.tab === id) return;
  ui.tab = id;
  ui.selectedId = null;
  ui.selectedIndex = 0;
  render();
  $('.main').scrollTop = 0;
}

function toggleHelp() {
  const d = $('#help');
  if (d.open) d.close();
  else d.showModal();
}

function onKey(e) {
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  const t = e.target;
  if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) {
    if (e.key === 'Escape') t.blur();
    return;
  }
  if ($('#help').open && e.key !== '?') return;
  const id = ui.selectedId;
  switch (e.key) {
    case 'j':
      move(+1);
      break;
    case 'k':
      move(-1);
      break;
    case 'a':
      if (id != null) decide(id, 'approve');
      break;
    case 'r':
      if (id != null) decide(id, 'reject');
      break;
    case 'h':
      if (id != null) decide(id, 'hold');
      break;
    case '?':
      toggleHelp();
      break;
    case '[':
      turnPage(-1);
      break;
    case ']':
      turnPage(+1);
      break;
    case '1':
    case '2':
    case '3':
    case '4':
      switchTab(TABS[Number(e.key) - 1].id);
      break;
    default:
      return;
  }
  e.preventDefault();
}

// ---- start -------------------------------------------------------------------------------

function start() {
  $('#event-slug').textContent = slug;
  $('#event-title').textContent = slug;

  const mod = $('#moderator');
  mod.value = localStorage.getItem(MODERATOR_KEY) || '';
  mod.addEventListener('input', () => localStorage.setItem(MODERATOR_KEY, mod.value.trim()));

  $('#tabs').addEventListener('click', (e) => {
    const b = e.target.closest('[data-tab]');
    if (b) switchTab(b.dataset.tab);
  });
  $('#list').addEventListener('click', (e) => {
    const card = e.target.closest('.card');
    if (!card) return;
    const id = Number(card.dataset.id);
    const b = e.target.closest('button[data-action]');
    if (b) {
      if (!b.disabled) decide(id, b.dataset.action);
      ui.selectedId = id;
      scheduleRender();
      return;
    }
    if (window.getSelection().toString()) return; // selecting text, not a card
    select(id, { scroll: false });
  });
  $('#pager').addEventListener('click', (e) => {
    const b = e.target.closest('[data-page]');
    if (b) turnPage(b.dataset.page === 'next' ? +1 : -1);
  });
  $('#conn .conn-retry').addEventListener('click', () => conn.reconnectNow());
  $('#help-button').addEventListener('click', toggleHelp);
  document.addEventListener('keydown', onKey);

  api
    .getEvent(slug)
    .then((ev) => {
      ui.event = ev;
      $('#event-title').textContent = ev.title || ev.slug;
      scheduleRender();
    })
    .catch((e) => {
      $('#event-title').textContent = slug;
      views.toast($('#toasts'), `Event "${slug}": ${e.message} (${e.code})`, 'error', 15000);
    });

  render();
  conn.start();
}

start();
