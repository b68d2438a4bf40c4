// app: wires the dashboard together — reads the event slug from ?event=, subscribes the stream to
// the view of the current tab, filters, sort and search, applies its snapshots and frames to the
// store, loads further pages of the view on demand, renders on change, and handles clicks and keys.
//
// Only PAGE_SIZE cards are in the DOM at once, and only the pages looked at are loaded, so an
// event with 100,000 questions costs what one page costs. The app leaves performance marks
// ("tribune:...") that the browser test reads.
//
// Words: the *focused* card is the one j/k move to (class "selected", ui.selectedId); the
// *selection* is the set of cards ticked for a bulk action with x / X (class "checked",
// ui.checked). a / r / h act on the selection when there is one, else on the focused card.
// A *group* is a set of near-duplicate questions (question.cluster); viewing one (g) narrows the
// view to it.

import * as api from './api.js';
import { Connection } from './connection.js';
import { mountEventSettings } from './event_settings.js';
import { mountGauge } from './gauge.js';
import { signOut } from './page_shell.js';
import { mountSources } from './sources.js';
import { Store } from './store.js';
import * as views from './views.js';

// render() once, soon, however many times it is asked for.
const renderSoon = views.renderLater(() => render());

// `sort`: the tab's order when the Sort filter is left at "Default". Review puts first the groups
// whose decision settles the most (sort=impact): the first minutes of moderation remove the most work.
const TABS = [
  { id: 'review', label: 'Review', statuses: ['pending', 'held'], sort: 'impact' },
  { id: 'approved', label: 'Approved', statuses: ['approved'], sort: 'newest' },
  { id: 'rejected', label: 'Rejected', statuses: ['rejected', 'auto_rejected'], sort: 'newest' },
  { id: 'all', label: 'All', statuses: null, sort: 'newest' },
];
const PAGE_SIZE = 50; // cards in the DOM at once; the rest is paged
const FIRST_PAGE = PAGE_SIZE; // questions in a view's snapshot and page frames: the page shown
const FETCH_LIMIT = 200; // questions per list request (the API allows up to 500)
const FILTER_DELAY_MS = 250; // typing in a filter box subscribes once it pauses
const UNDO_DEPTH = 20; // own decisions remembered for u
const UNDO_PARALLEL = 8; // undo requests in flight at once when undoing a bulk decision
const GROUP_FROM = ['pending', 'held']; // what a group's bulk action acts on

const $ = (sel) => document.querySelector(sel);

const params = new URLSearchParams(location.search);
const slug = (params.get('event') || 'demo').trim() || 'demo';

const store = new Store();
const gauge = mountGauge($('#gauge'), slug);
const settingsPanel = mountEventSettings($('#event-settings'), slug);
const ui = {
  tab: 'review',
  page: 0, // of the current view
  // The filters and sort on top of the tab (empty: not set, the tab's default order). `status`
  // narrows to one state.
  filters: { status: '', sort: '', attribute: '', min: '', max: '', lang: '', author: '', source: '', q: '' },
  selectedId: null, // the focused card
  selectedIndex: 0, // where the focus was, to keep the place when that card leaves the list
  checked: new Set(), // ids selected for a bulk action (only ids in the current view)
  group: null, // the near-duplicate group viewed (its cluster id), or null
  bulkBusy: false, // a bulk decision or an undo in flight
  undo: [], // own recent decisions, newest last: {action, ids}
  me: null, // {name, role, event} from GET /api/v1/session
  activity: null, // {moderators, arrivalsPerMinute} from the stream's activity messages
  busy: new Set(), // ids with a decision in flight
  notes: new Map(), // id -> {kind, text} shown on the card
  conn: { state: 'connecting' },
  event: null,
  history: new Map(), // id -> {loading, error, items} for the details panel
  shortlist: new Map(), // question id -> its entry on the executives' shortlist (from the stream)
};
// Loading further pages of the current view. Reset by each view and each fresh snapshot.
let feed = { loading: false, error: null };
let viewGen = 0; // bumped by each new view or snapshot; late page answers for older ones are dropped
let currentView = {}; // the view subscribed to (viewParams() when it was applied)

const tabOf = (id) => TABS.find((t) => t.id === id);

// ---- the view ----------------------------------------------------------------------------

// The view the stream subscribes to, in the wire form of docs/api.md.
function viewParams() {
  const f = ui.filters;
  const statuses = f.status ? [f.status] : tabOf(ui.tab).statuses;
  const v = { sort: f.sort || tabOf(ui.tab).sort };
  if (statuses) v.status = statuses;
  if (f.attribute) {
    v.attribute = f.attribute;
    const min = Number.parseFloat(f.min);
    const max = Number.parseFloat(f.max);
    v.min_score = Number.isFinite(min) ? Math.min(1, Math.max(0, min)) : 0;
    v.max_score = Number.isFinite(max) ? Math.min(1, Math.max(0, max)) : 1;
  }
  for (const k of ['lang', 'author', 'source', 'q']) {
    const val = (f[k] || '').trim();
    if (val) v[k] = val;
  }
  if (ui.group != null) v.cluster = ui.group;
  return v;
}

// True when the view narrows by nothing but states (its size is then a sum of counts).
function onlyStates(v) {
  return !v.attribute && !v.lang && !v.author && !v.source && !v.q && v.cluster == null;
}

// Subscribes to the view of the current tab and filters, unless it is the one shown.
function applyView() {
  const v = viewParams();
  const key = JSON.stringify(v);
  if (key === store.view.key) return;
  currentView = v;
  viewGen += 1;
  feed = { loading: false, error: null };
  ui.page = 0;
  ui.selectedId = null;
  ui.selectedIndex = 0;
  ui.checked.clear(); // another view: its cards are other cards
  viewReadyMarked = false;
  performance.mark('tribune:view-start');
  store.beginView(key, { sort: v.sort, statuses: v.status || null });
  conn.subscribe(v, FIRST_PAGE);
  scheduleRender();
}

// ---- render scheduling -------------------------------------------------------------------

function scheduleRender() {
  renderSoon();
}

function currentItems() {
  return store.viewItems();
}

function tabTotal(tab) {
  return store.count(tab.statuses);
}

// The view's size when it is known: from the counts for a view of states only, else once every
// page is loaded. Null while unknown.
function viewTotal() {
  const v = currentView;
  if (onlyStates(v)) return Math.max(store.count(v.status || null), store.view.complete ? currentItems().length : 0);
  return store.view.complete ? currentItems().length : null;
}

function pageItems() {
  const all = currentItems();
  return all.slice(ui.page * PAGE_SIZE, (ui.page + 1) * PAGE_SIZE);
}

let firstCardsMarked = false;
function render() {
  const started = performance.now();
  const tab = tabOf(ui.tab);
  views.renderCounts($('#counts'), store.counts);
  views.renderTabs($('#tabs'), TABS, ui.tab, (id) => tabTotal(tabOf(id)));
  views.renderConnection($('#conn'), ui.conn);
  views.renderActivity($('#activity'), ui.activity, ui.me, ui.conn.state === 'live');

  const all = currentItems();
  const total = viewTotal();
  // Pages past what is loaded are valid while the server has more (they load on demand).
  const known = store.view.complete ? all.length : Math.max(all.length, total ?? all.length + 1);
  const lastPage = Math.max(0, Math.ceil(known / PAGE_SIZE) - 1);
  if (ui.page > lastPage) ui.page = lastPage;
  const page = ui.page;
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

  views.renderList($('#list'), items, {
    selectedId: ui.selectedId,
    busy: ui.busy,
    notes: ui.notes,
    checked: ui.checked,
    clusterSize: (q) => store.clusterSize(q),
    shortlist: ui.shortlist,
  });
  views.renderBulkBar($('#bulkbar'), { selected: ui.checked.size, group: ui.group, busy: ui.bulkBusy });
  const loading = feed.loading || !store.view.ready;
  if (items.length) $('#list-empty').replaceChildren();
  else views.renderEmpty($('#list-empty'), { loading, error: feed.error, tabLabel: tab.label, filtered: !onlyStates(currentView) });

  const hasNext =
    (page + 1) * PAGE_SIZE < all.length || (!store.view.complete && (total == null || (page + 1) * PAGE_SIZE < total));
  views.renderPager($('#pager'), {
    page,
    pageSize: PAGE_SIZE,
    shown: items.length,
    total: total ?? all.length,
    totalKnown: total != null,
    hasNext,
    loading: feed.loading,
  });
  views.renderFilterState($('#filters'), ui.filters, ui.group);

  const sel = ui.selectedId != null ? store.get(ui.selectedId) : null;
  renderDetails(sel);

  const review = store.count(['pending', 'held']);
  const title = ui.event ? ui.event.title : slug;
  document.title = `${review ? `(${views.fmtNum(review)}) ` : ''}${title} · Tribune`;

  if (store.view.ready && !viewReadyMarked) {
    viewReadyMarked = true;
    performance.mark('tribune:view-ready');
  }
  if (items.length && !firstCardsMarked) {
    firstCardsMarked = true;
    performance.mark('tribune:first-cards');
  }
  performance.measure('tribune:render', { start: started, end: performance.now() });
  ensureLoaded();
}
let viewReadyMarked = false;

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

// Loads the view's next page while the current page is not full and the server has more.
async function ensureLoaded() {
  const v = store.view;
  if (!v.ready || feed.loading || v.complete || feed.error) return;
  const need = (ui.page + 1) * PAGE_SIZE;
  if (v.items.length >= need) return;
  feed.loading = true;
  const gen = viewGen;
  try {
    const res = await api.listQuestions(slug, { ...currentView, limit: FETCH_LIMIT, cursor: v.cursor });
    if (gen !== viewGen) return; // another view or a fresh snapshot meanwhile
    store.appendPage(res.items || [], res.next_cursor || null);
  } catch (e) {
    if (gen !== viewGen) return;
    feed.error = `${e.message} (${e.code})`;
    // Try again a little later rather than hammering a failing server.
    setTimeout(() => {
      if (gen !== viewGen) return;
      feed.error = null;
      scheduleRender();
    }, 5000);
  } finally {
    if (gen === viewGen) feed.loading = false;
    scheduleRender();
  }
}

// ---- stream ------------------------------------------------------------------------------

function setShortlist(items) {
  ui.shortlist = new Map((items || []).map((e) => [e.question.id, e]));
}

const conn = new Connection(slug, {
  // The executives' shortlist, marked on the cards; page frames (only what changes the first
  // page) for the orders the server can keep a page of.
  // Acks: the next frame comes once this tab applied the last one.
  extra: { shortlist: true, page: true, ack: true },
  onSnapshot(msg) {
    if (msg.shortlist) setShortlist(msg.shortlist.items);
    viewGen += 1;
    feed = { loading: false, error: null };
    store.applySnapshot(msg);
    // A fresh snapshot: keep selected only what it still shows.
    if (ui.checked.size) {
      const shown = new Set(store.viewItems().map((q) => q.id));
      for (const id of ui.checked) if (!shown.has(id)) ui.checked.delete(id);
    }
    ui.history.clear();
    viewReadyMarked = false;
    scheduleRender();
    gauge.changed();
  },
  onFrame(msg) {
    const t0 = performance.now();
    store.applyFrame(msg);
    for (const c of msg.changes || []) {
      if (c.op === 'shortlist') setShortlist(c.items);
      const q = c.question;
      if (q && c.change === 'updated') {
        ui.notes.delete(q.id);
        for (const k of ui.history.keys()) if (k.startsWith(`${q.id}|`)) ui.history.delete(k);
      }
      // A card that left the view leaves the selection (unless we hold a newer version of it).
      if (q && c.op === 'remove' && ui.checked.has(q.id) && !(store.get(q.id)?.version > q.version)) {
        ui.checked.delete(q.id);
      }
    }
    // A page frame names the page: as after a snapshot, keep selected only what the view still
    // shows (a question that left the view while this tab was behind comes with no removal).
    if (Array.isArray(msg.page) && ui.checked.size) {
      const shown = new Set(store.viewItems().map((q) => q.id));
      for (const id of ui.checked) if (!shown.has(id)) ui.checked.delete(id);
    }
    performance.measure('tribune:frame', { start: t0, end: performance.now(), detail: (msg.changes || []).length });
    scheduleRender();
    gauge.changed(); // every frame moves the event (its counts at least): the charts follow
  },
  onError(err) {
    views.toast($('#toasts'), `The view was refused: ${err.message || err.code} (${err.code})`, 'error');
  },
  onState(st) {
    ui.conn = st;
    scheduleRender();
  },
  onActivity(a) {
    const cur = ui.activity || { moderators: [], arrivalsPerMinute: null };
    ui.activity = {
      moderators: a.moderators ?? cur.moderators,
      arrivalsPerMinute: a.arrivalsPerMinute ?? cur.arrivalsPerMinute,
    };
    scheduleRender();
  },
});

// While waiting to reconnect, keep the countdown moving.
setInterval(() => {
  if (ui.conn.state === 'waiting') views.renderConnection($('#conn'), ui.conn);
}, 1000);
setInterval(() => views.refreshTimes(document), 15000);

// The header's "learned from N decisions" (GET .../learning): at start, a moment after this
// moderator's decisions, and every 20 s for the other moderators'. Hidden when not readable.
let learningTimer = null;
function refreshLearning(delay = 0) {
  clearTimeout(learningTimer);
  learningTimer = setTimeout(() => {
    api
      .getLearning(slug)
      .then((r) => views.renderLearning($('#learned'), r))
      .catch(() => views.renderLearning($('#learned'), null));
  }, delay);
}
setInterval(() => refreshLearning(), 20000);

// ---- decisions ---------------------------------------------------------------------------

const toast = (text, kind = 'info', ms) => views.toast($('#toasts'), text, kind, ms);

const PAST = { approve: 'approved', reject: 'rejected', hold: 'held' };

// Remembers one of our own decisions for u (only ids it changed: a decision of the state a
// question already has records nothing to undo).
function remember(action, ids) {
  if (!ids.length) return;
  refreshLearning(1500); // the server refits moments after a decision
  ui.undo.push({ action, ids });
  if (ui.undo.length > UNDO_DEPTH) ui.undo.shift();
}

async function decide(id, action) {
  const q = store.get(id);
  if (!q || ui.busy.has(id)) return;
  ui.busy.add(id);
  ui.notes.delete(id);
  scheduleRender();
  try {
    const updated = await api.decide(id, { action, expectedVersion: q.version });
    store.upsert([updated]);
    if (updated.version > q.version) remember(action, [id]);
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

// ---- bulk decisions and undo -----------------------------------------------------------------

// a / r / h with a selection: one request for every selected question, each with the version
// we saw, so one that changed meanwhile is refused (version_conflict) and the others apply.
async function decideSelected(action) {
  const ids = [...ui.checked].filter((id) => store.get(id) && !ui.busy.has(id));
  if (!ids.length || ui.bulkBusy) return;
  const expectedVersions = {};
  for (const id of ids) expectedVersions[id] = store.get(id).version;
  await runBulk(action, { ids, expectedVersions }, ids, `${ids.length} selected`);
}

// "Approve group" etc.: every pending or held question of the group viewed, by the server.
async function decideGroup(action) {
  const group = ui.group;
  if (group == null || ui.bulkBusy) return;
  const shown = currentItems()
    .filter((q) => q.cluster && q.cluster.id === group && GROUP_FROM.includes(q.status))
    .map((q) => q.id);
  await runBulk(action, { cluster: group, from: GROUP_FROM }, shown, `group #${group}`);
}

// Sends one bulk decision; marks `ids` busy meanwhile. Applied questions leave the selection;
// refused ones keep it and get a note; one toast sums it up.
async function runBulk(action, req, ids, what) {
  ui.bulkBusy = true;
  const seen = new Map();
  for (const id of ids) {
    ui.busy.add(id);
    ui.notes.delete(id);
    seen.set(id, store.get(id)?.version);
  }
  scheduleRender();
  try {
    const res = await api.decideBulk(slug, { action, ...req });
    const updated = [];
    const changed = [];
    const failed = [];
    for (const item of res.items || []) {
      if (item.question) {
        updated.push(item.question);
        const before = seen.get(item.id) ?? store.get(item.id)?.version;
        if (before == null || item.question.version > before) changed.push(item.id);
        ui.checked.delete(item.id);
      } else {
        const err = item.error || {};
        failed.push({ id: item.id, code: err.code || 'error', message: err.message || 'not applied' });
      }
    }
    store.upsert(updated);
    for (const f of failed) {
      ui.notes.set(f.id, {
        kind: f.code === 'version_conflict' ? 'warn' : 'error',
        text: `Your ${action} on #${f.id} was not applied: ${f.message} (${f.code}).`,
      });
    }
    remember(action, changed);
    // A group larger than one request takes is decided in steps.
    const more = res.more ? ` More of ${what} remain: ${action} the group again for the next ones.` : '';
    if (!failed.length) {
      const n = updated.length;
      toast(
        (n
          ? `${n === 1 ? '1 question' : `${views.fmtNum(n)} questions`} ${PAST[action] || action} (${what}). u undoes.`
          : `Nothing to ${action} in ${what}.`) + more,
        'info',
        more ? 12000 : undefined,
      );
    } else {
      const listed = failed
        .slice(0, 3)
        .map((f) => `#${f.id} ${f.message} (${f.code})`)
        .join('; ');
      const rest = failed.length > 3 ? `; and ${failed.length - 3} more` : '';
      toast(`${updated.length} applied, ${failed.length} not: ${listed}${rest}.${more}`, 'warn', 12000);
    }
  } catch (e) {
    toast(`Could not ${action} ${what}: ${e.message} (${e.code})`, 'error');
  } finally {
    for (const id of ids) ui.busy.delete(id);
    ui.bulkBusy = false;
    scheduleRender();
  }
}

// u: undoes our last decision; a bulk one is undone question by question.
async function undoLast() {
  if (ui.bulkBusy) return;
  const entry = ui.undo.pop();
  if (!entry) {
    toast('Nothing to undo: you have made no decision on this page yet.', 'info');
    return;
  }
  const { action, ids } = entry;
  ui.bulkBusy = true;
  for (const id of ids) ui.busy.add(id);
  scheduleRender();
  const done = [];
  const failed = [];
  try {
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const id = ids[next++];
        try {
          done.push(await api.undo(id));
        } catch (e) {
          failed.push({ id, e });
          if (e.body && e.body.current) store.upsert([e.body.current]);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(UNDO_PARALLEL, ids.length) }, worker));
  } finally {
    store.upsert(done);
    for (const id of ids) ui.busy.delete(id);
    ui.bulkBusy = false;
    scheduleRender();
  }
  const why = (f) => `#${f.id}: ${f.e.message} (${f.e.code})`;
  if (ids.length === 1) {
    if (done.length) {
      const q = done[0];
      toast(`Undone: your ${action} of #${q.id}. It is ${views.STATUS_LABELS[q.status] || q.status} again.`, 'info');
    } else {
      toast(`Could not undo your ${action} of ${why(failed[0])}`, 'warn', 10000);
    }
  } else if (!failed.length) {
    toast(`Undone: your ${action} of ${views.fmtNum(done.length)} questions.`, 'info');
  } else {
    const listed = failed.slice(0, 3).map(why).join('; ');
    const more = failed.length > 3 ? `; and ${failed.length - 3} more` : '';
    toast(
      `Undid ${done.length} of ${ids.length} (your ${action}); not undone: ${listed}${more}`,
      done.length ? 'warn' : 'error',
      12000,
    );
  }
}

// ---- selection for bulk actions and groups --------------------------------------------------

function toggleChecked(id, on = !ui.checked.has(id)) {
  if (id == null || !store.get(id)) return;
  if (on) ui.checked.add(id);
  else ui.checked.delete(id);
  scheduleRender();
}

// X: every card on the page, or none when all of them are selected already.
function toggleCheckedPage() {
  const items = pageItems();
  if (!items.length) return;
  const all = items.every((q) => ui.checked.has(q.id));
  for (const q of items) {
    if (all) ui.checked.delete(q.id);
    else ui.checked.add(q.id);
  }
  scheduleRender();
}

function clearChecked() {
  if (!ui.checked.size) return false;
  ui.checked.clear();
  scheduleRender();
  return true;
}

function enterGroup(id) {
  if (id == null || ui.group === id) return;
  ui.group = id;
  applyView();
  render();
  $('.main').scrollTop = 0;
}

function leaveGroup() {
  if (ui.group == null) return false;
  ui.group = null;
  applyView();
  render();
  return true;
}

// g: the focused card's group (again: back to the whole view).
function groupOfFocused() {
  const q = ui.selectedId != null ? store.get(ui.selectedId) : null;
  if (!q) return;
  if (q.cluster && ui.group === q.cluster.id) {
    leaveGroup();
    return;
  }
  if (store.clusterSize(q) > 1) enterGroup(q.cluster.id);
  else toast(`#${q.id} has no similar questions.`, 'info', 4000);
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
  const p = ui.page + delta;
  if (p < 0) return false;
  const all = currentItems();
  const total = viewTotal();
  if (delta > 0 && p * PAGE_SIZE >= all.length && (store.view.complete || (total != null && p * PAGE_SIZE >= total))) {
    return false;
  }
  ui.page = p;
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
  ui.filters.status = ''; // a state chosen within the old tab does not carry over
  applyView();
  render();
  $('.main').scrollTop = 0;
}

// Reads the filter controls into ui.filters and subscribes to the resulting view.
function readFilters() {
  const f = ui.filters;
  f.q = $('#f-q').value;
  f.sort = $('#f-sort').value;
  f.status = $('#f-status').value;
  f.attribute = $('#f-attr').value;
  f.min = $('#f-min').value;
  f.max = $('#f-max').value;
  f.lang = $('#f-lang').value;
  f.author = $('#f-author').value;
  f.source = $('#f-source').value;
  applyView();
}

let filterTimer = null;
function readFiltersSoon() {
  clearTimeout(filterTimer);
  filterTimer = setTimeout(readFilters, FILTER_DELAY_MS);
}

function clearFilters() {
  for (const id of ['#f-q', '#f-min', '#f-max', '#f-lang', '#f-author', '#f-source']) $(id).value = '';
  $('#f-status').value = '';
  $('#f-attr').value = '';
  ui.group = null;
  readFilters();
}

function toggleHelp() {
  const d = $('#help');
  if (d.open) d.close();
  else d.showModal();
}

// True for an element that takes typed text (keys go to it, not to the dashboard).
function takesText(t) {
  if (!t) return false;
  if (t.isContentEditable || /^(TEXTAREA|SELECT)$/.test(t.tagName)) return true;
  return t.tagName === 'INPUT' && !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(t.type);
}

function onKey(e) {
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  const t = e.target;
  if (takesText(t)) {
    if (e.key === 'Escape') t.blur();
    if (e.key === 'Enter' && t.closest && t.closest('#filters')) {
      clearTimeout(filterTimer);
      readFilters();
    }
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
    case 'r':
    case 'h': {
      const action = { a: 'approve', r: 'reject', h: 'hold' }[e.key];
      if (ui.checked.size) decideSelected(action);
      else if (id != null) decide(id, action);
      break;
    }
    case 'u':
      undoLast();
      break;
    case 'x':
      toggleChecked(id);
      break;
    case 'X':
      toggleCheckedPage();
      break;
    case 'g':
      groupOfFocused();
      break;
    case 'Escape':
      if (!clearChecked() && !leaveGroup()) return;
      break;
    case '?':
      toggleHelp();
      break;
    case '/':
      $('#f-q').focus();
      $('#f-q').select();
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

  $('#sign-out').addEventListener('click', () => signOut(toast, conn));
  $('#tabs').addEventListener('click', (e) => {
    const b = e.target.closest('[data-tab]');
    if (b) switchTab(b.dataset.tab);
  });
  $('#list').addEventListener('click', (e) => {
    const card = e.target.closest('.card');
    if (!card) return;
    const id = Number(card.dataset.id);
    if (e.target.matches('.card-check')) {
      toggleChecked(id, e.target.checked);
      ui.selectedId = id;
      scheduleRender();
      return;
    }
    const badge = e.target.closest('.cluster-badge');
    if (badge) {
      enterGroup(Number(badge.dataset.cluster));
      return;
    }
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
  views.fillFilterOptions($('#filters'));
  const filters = $('#filters');
  filters.addEventListener('input', (e) => {
    if (e.target.tagName === 'SELECT') readFilters();
    else readFiltersSoon();
  });
  filters.addEventListener('change', (e) => {
    if (e.target.tagName === 'SELECT') readFilters();
  });
  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    clearTimeout(filterTimer);
    readFilters();
  });
  $('#f-clear').addEventListener('click', clearFilters);
  $('#f-group').addEventListener('click', leaveGroup);
  $('#bulkbar').addEventListener('click', (e) => {
    const b = e.target.closest('button[data-bulk]');
    if (!b || b.disabled) return;
    if (b.dataset.bulk === 'clear') clearChecked();
    else if (b.dataset.scope === 'group') decideGroup(b.dataset.bulk);
    else decideSelected(b.dataset.bulk);
  });
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

  api
    .getSession()
    .then((me) => {
      ui.me = me;
      views.renderIdentity($('#identity'), me);
      settingsPanel.show(me);
      if (me.role === 'admin') {
        $('#sources').hidden = false;
        mountSources($('#sources'), slug);
      }
      scheduleRender();
    })
    .catch((e) => {
      if (e.status !== 401) toast(`Who am I? ${e.message} (${e.code})`, 'error');
    });

  applyView();
  render();
  refreshLearning();
  conn.start();
}

start();
