// executive: the executives' page (/executive?event=SLUG) — the event's approved questions
// ranked by the transparent score of docs/api.md "Ranking" (weights adjustable here, kept in
// this browser), filtered by language, topic words, search and "hide what is not a question";
// and the shortlist: star to add, drag or J/K to reorder, "answering now" (one at a time),
// "answered", and a short written answer or note per question.
//
// Live: the page subscribes to the event's view stream as an executive (approved and answered
// questions only) with the shortlist. A shortlist change replaces the shortlist shown; a
// question's change patches the rows that show it and asks the server for the ranking again
// (at most once a second), as do the filters and weights; the ranking also refreshes every
// 30 s as recency moves. The server ranks; the page shows each term of each score. The
// shortlist's state and actions are executive_shortlist.js; the rendering executive_views.js.

import * as api from './api.js';
import { Connection } from './connection.js';
import { Shortlist } from './executive_shortlist.js';
import * as xv from './executive_views.js';
import { mountGauge } from './gauge.js';
import { eventSlug, startShell } from './page_shell.js';
import { refreshTimes, renderLater } from './views.js';

// render() once, soon, however many times it is asked for.
const renderSoon = renderLater(() => render());

const RANK_LIMIT = 200; // rows of the ranking shown
const REFRESH_DELAY_MS = 300; // a burst of changes asks for the ranking once
const REFRESH_MIN_INTERVAL_MS = 1000;
const REFRESH_EVERY_MS = 30000; // recency moves with time
const FILTER_DELAY_MS = 250;
const WEIGHTS_KEY = 'tribune.executive.weights';
const PUBLIC = ['approved', 'answered'];

const $ = (sel) => document.querySelector(sel);
const slug = eventSlug();

const ui = {
  ranked: [], // [{question, rank}] as the server ranked them
  ranking: null, // the last ranking answer (topics, hidden count, groups)
  focus: { pane: 'ranked', id: null },
  filters: { q: '', lang: '', questionsOnly: false, hideAnswered: false },
  weights: loadWeights(),
  langs: new Set(['en', 'fr']),
  loaded: false,
  error: null,
};

const shell = startShell({ slug });
const shortlist = new Shortlist({
  slug,
  toast: shell.toast,
  changed: () => scheduleRender(),
  answered: () => refreshSoon(),
});
$('#display-link').href = `/display/${encodeURIComponent(slug)}`;
const gauge = mountGauge($('#gauge'), slug);

function loadWeights() {
  try {
    const saved = JSON.parse(localStorage.getItem(WEIGHTS_KEY) || 'null');
    if (saved && typeof saved === 'object') return { ...xv.DEFAULT_WEIGHTS, ...saved };
  } catch {
    /* defaults */
  }
  return { ...xv.DEFAULT_WEIGHTS };
}

// ---- rendering ---------------------------------------------------------------------------

function scheduleRender() {
  renderSoon();
}

function render() {
  // Keep the keyboard where it was: a full re-render replaces the elements.
  const active = document.activeElement;
  const noteFocus =
    active && active.classList.contains('x-note-input')
      ? { id: Number(active.dataset.id), start: active.selectionStart, end: active.selectionEnd }
      : null;

  const starred = new Set(shortlist.entries.map((e) => e.question.id));
  const items = rankedShown();
  xv.renderRanked($('#x-ranked'), items, {
    focusId: ui.focus.pane === 'ranked' ? ui.focus.id : null,
    starred,
    busy: shortlist.busy,
  });
  const groups = ui.ranking ? ui.ranking.groups : 0;
  $('#x-ranked-count').textContent = ui.ranking ? `(${groups}${groups > items.length ? `, best ${items.length} shown` : ''})` : '';
  let empty = null;
  if (ui.error) empty = `Could not load the ranking: ${ui.error}`;
  else if (!ui.loaded) empty = 'Loading…';
  else if (!items.length) empty = ui.filters.q || ui.filters.lang ? 'No approved question matches these filters.' : 'No approved question yet.';
  xv.renderEmpty($('#x-ranked-empty'), empty);

  const entries = shortlist.shown();
  xv.renderShortlist($('#x-shortlist'), entries, {
    focusId: ui.focus.pane === 'shortlist' ? ui.focus.id : null,
    dragId: shortlist.drag ? shortlist.drag.id : null,
    busy: shortlist.busy,
    drafts: shortlist.drafts,
  });
  $('#x-shortlist-count').textContent = entries.length ? `(${entries.length})` : '';
  xv.renderEmpty($('#x-shortlist-empty'), entries.length ? null : 'Nothing shortlisted yet: star a question.');

  xv.renderTopics($('#x-topics'), ui.ranking ? ui.ranking.topics : [], ui.filters.q.trim().toLowerCase());
  const hidden = ui.ranking ? ui.ranking.hidden_not_questions : 0;
  // Questions stored without the "is it a question?" model have no signal and are never hidden.
  const unscored = ui.ranked.length > 0 && ui.ranked.every((r) => r.question.is_question == null);
  let hiddenNote = '';
  if (ui.filters.questionsOnly && hidden) hiddenNote = `${hidden} hidden`;
  else if (ui.filters.questionsOnly && unscored) hiddenNote = 'no "is it a question?" signal on these: nothing hidden';
  $('#x-hidden-note').textContent = hiddenNote;
  $('#x-formula').textContent = xv.formulaText(ui.weights);
  renderLanguages();

  if (noteFocus) {
    const area = document.querySelector(`.x-note-input[data-id="${noteFocus.id}"]`);
    if (area) {
      area.focus();
      area.setSelectionRange(noteFocus.start, noteFocus.end);
    }
  }
  document.title = `${$('#event-title').textContent} · executives · Tribune`;
}

function rankedShown() {
  return ui.filters.hideAnswered ? ui.ranked.filter((r) => !r.rank.answered) : ui.ranked;
}

function renderLanguages() {
  const sel = $('#x-lang');
  const have = new Set([...sel.options].map((o) => o.value));
  for (const l of [...ui.langs].sort()) {
    if (have.has(l)) continue;
    const o = document.createElement('option');
    o.value = l;
    o.textContent = l;
    sel.appendChild(o);
  }
}

// ---- the ranking -------------------------------------------------------------------------

let refreshTimer = null;
let refreshInFlight = false;
let refreshAgain = false;
let lastRefreshAt = 0;
let rankingGen = 0;

function refreshSoon(delay = REFRESH_DELAY_MS) {
  if (refreshTimer) return;
  const wait = Math.max(delay, lastRefreshAt + REFRESH_MIN_INTERVAL_MS - Date.now());
  refreshTimer = setTimeout(() => {
    refreshTimer = null;
    refreshRanking();
  }, wait);
}

async function refreshRanking() {
  if (refreshInFlight) {
    refreshAgain = true;
    return;
  }
  refreshInFlight = true;
  lastRefreshAt = Date.now();
  const gen = ++rankingGen;
  const w = ui.weights;
  try {
    const res = await api.getRanking(slug, {
      w_votes: w.votes,
      w_group: w.group,
      w_recency: w.recency,
      half_life: w.half_life,
      lang: ui.filters.lang,
      q: ui.filters.q.trim(),
      questions_only: ui.filters.questionsOnly ? 'true' : '',
      limit: RANK_LIMIT,
    });
    if (gen === rankingGen) {
      ui.ranking = res;
      ui.ranked = res.items || [];
      ui.error = null;
      ui.loaded = true;
      for (const r of ui.ranked) if (r.question.lang && r.question.lang !== 'und') ui.langs.add(r.question.lang);
      keepFocus();
    }
  } catch (e) {
    ui.error = `${e.message} (${e.code})`;
  } finally {
    refreshInFlight = false;
    scheduleRender();
    if (refreshAgain) {
      refreshAgain = false;
      refreshSoon();
    }
  }
}

function keepFocus() {
  if (ui.focus.pane !== 'ranked') return;
  if (ui.focus.id != null && ui.ranked.some((r) => r.question.id === ui.focus.id)) return;
  ui.focus.id = ui.ranked.length ? ui.ranked[0].question.id : null;
}

// ---- the stream --------------------------------------------------------------------------

const conn = new Connection(slug, {
  extra: { shortlist: true },
  onSnapshot(msg) {
    if (msg.shortlist) shortlist.set(msg.shortlist.items);
    refreshSoon(0);
    gauge.changed();
  },
  onFrame(msg) {
    let questions = false;
    let reread = false;
    for (const c of msg.changes || []) {
      if (c.op === 'shortlist') {
        shortlist.fromStream(c.items);
        continue;
      }
      const q = c.question;
      if (!q) continue;
      questions = true;
      if (c.op === 'remove') {
        // Taken back by a moderator: gone from here at once.
        ui.ranked = ui.ranked.filter((r) => r.question.id !== q.id);
        shortlist.drop(q.id);
        continue;
      }
      patchQuestion(q);
      // Approved again: it may be a shortlisted question that was hidden meanwhile.
      if (c.from && !PUBLIC.includes(c.from)) reread = true;
    }
    if (reread) shortlist.reload();
    if (questions) {
      refreshSoon();
      gauge.changed(); // the approved questions moved: the charts of them too
    }
    scheduleRender();
  },
  onError(err) {
    shell.toast(`The live view was refused: ${err.message || err.code} (${err.code})`, 'error');
  },
  onState(st) {
    shell.setState(st);
  },
});
shell.connection(conn);

// A newer version of a question replaces the one shown (votes, answered) until the ranking
// comes back.
function patchQuestion(q) {
  for (const r of ui.ranked)
    if (r.question.id === q.id && q.version >= r.question.version) {
      r.question = { ...r.question, ...q };
      if (q.status === 'answered') r.rank = { ...r.rank, answered: true };
    }
  shortlist.patch(q);
}

// ---- keys and clicks ---------------------------------------------------------------------

function paneIds(pane) {
  if (pane === 'shortlist') return shortlist.ids();
  return rankedShown().map((r) => r.question.id);
}

function focusIn(pane, id, scroll = true) {
  ui.focus = { pane, id };
  render();
  if (!scroll || id == null) return;
  const sel = pane === 'shortlist' ? '#x-shortlist .x-entry' : '#x-ranked .x-row';
  const el = document.querySelector(`${sel}[data-id="${id}"]`);
  if (el) el.scrollIntoView({ block: 'nearest' });
}

function moveFocus(delta) {
  const ids = paneIds(ui.focus.pane);
  if (!ids.length) return;
  const at = ids.indexOf(ui.focus.id);
  const next = at < 0 ? (delta > 0 ? 0 : ids.length - 1) : Math.min(ids.length - 1, Math.max(0, at + delta));
  focusIn(ui.focus.pane, ids[next]);
}

function switchPane(pane) {
  if (ui.focus.pane === pane) return;
  const ids = paneIds(pane);
  focusIn(pane, ids.includes(ui.focus.id) ? ui.focus.id : ids[0] ?? null);
}

function takesText(t) {
  if (!t) return false;
  if (t.isContentEditable || /^(TEXTAREA|SELECT)$/.test(t.tagName)) return true;
  return t.tagName === 'INPUT' && !['checkbox', 'radio', 'button', 'submit', 'reset', 'range'].includes(t.type);
}

function onKey(e) {
  const t = e.target;
  if (takesText(t)) {
    if (t.classList.contains('x-note-input') && e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      shortlist.saveNote(Number(t.dataset.id));
    } else if (e.key === 'Escape') {
      t.blur();
    }
    return;
  }
  if (e.ctrlKey || e.metaKey) return;
  if ($('#help').open && e.key !== '?') return;
  const id = ui.focus.id;
  const inShortlist = ui.focus.pane === 'shortlist';
  if (e.altKey) {
    if (inShortlist && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      shortlist.move(id, e.key === 'ArrowDown' ? +1 : -1);
      e.preventDefault();
    }
    return;
  }
  switch (e.key) {
    case 'j':
    case 'ArrowDown':
      moveFocus(+1);
      break;
    case 'k':
    case 'ArrowUp':
      moveFocus(-1);
      break;
    case 'ArrowLeft':
      switchPane('ranked');
      break;
    case 'ArrowRight':
      switchPane('shortlist');
      break;
    case 'J':
    case 'K':
      if (inShortlist) shortlist.move(id, e.key === 'J' ? +1 : -1);
      break;
    case 's':
      shortlist.toggleStar(id);
      break;
    case 'n':
      shortlist.toggleNow(id);
      break;
    case 'd':
      shortlist.markAnswered(id);
      break;
    case 'e':
      document.querySelector(`.x-note-input[data-id="${id}"]`)?.focus();
      break;
    case '/':
      $('#x-q').focus();
      $('#x-q').select();
      break;
    case '?': {
      const d = $('#help');
      if (d.open) d.close();
      else d.showModal();
      break;
    }
    default:
      return;
  }
  e.preventDefault();
}

function onShortlistClick(e) {
  const li = e.target.closest('.x-entry');
  if (!li) return;
  const id = Number(li.dataset.id);
  const b = e.target.closest('button[data-act]');
  ui.focus = { pane: 'shortlist', id };
  if (!b) {
    if (!e.target.closest('textarea')) scheduleRender();
    return;
  }
  if (b.disabled) return;
  const acts = {
    up: () => shortlist.move(id, -1),
    down: () => shortlist.move(id, +1),
    now: () => shortlist.toggleNow(id),
    answered: () => shortlist.markAnswered(id),
    remove: () => shortlist.toggleStar(id),
    note: () => shortlist.saveNote(id),
  };
  acts[b.dataset.act]?.();
  scheduleRender();
}

function onRankedClick(e) {
  const li = e.target.closest('.x-row');
  if (!li) return;
  const id = Number(li.dataset.id);
  ui.focus = { pane: 'ranked', id };
  const b = e.target.closest('button[data-act="star"]');
  if (b && !b.disabled) shortlist.toggleStar(id);
  scheduleRender();
}

let filterTimer = null;
function readFilters(now = false) {
  clearTimeout(filterTimer);
  const apply = () => {
    ui.filters.q = $('#x-q').value;
    ui.filters.lang = $('#x-lang').value;
    ui.filters.questionsOnly = $('#x-questions-only').checked;
    ui.filters.hideAnswered = $('#x-hide-answered').checked;
    refreshSoon(0);
    scheduleRender();
  };
  if (now) apply();
  else filterTimer = setTimeout(apply, FILTER_DELAY_MS);
}

function showWeights() {
  const w = ui.weights;
  for (const k of ['votes', 'group', 'recency']) {
    $(`#w-${k}`).value = String(w[k]);
    $(`#w-${k}-v`).textContent = Number(w[k]).toFixed(1);
  }
  $('#w-half').value = String(w.half_life);
}

function readWeights() {
  const w = ui.weights;
  for (const k of ['votes', 'group', 'recency']) w[k] = Number($(`#w-${k}`).value);
  const half = Math.round(Number($('#w-half').value));
  if (Number.isFinite(half) && half >= 1 && half <= 1440) w.half_life = half;
  localStorage.setItem(WEIGHTS_KEY, JSON.stringify(w));
  showWeights();
  refreshSoon(0);
  scheduleRender();
}

// ---- start -------------------------------------------------------------------------------

function start() {
  showWeights();
  $('#x-weights').addEventListener('input', readWeights);
  $('#w-reset').addEventListener('click', () => {
    ui.weights = { ...xv.DEFAULT_WEIGHTS };
    showWeights();
    readWeights();
  });
  const filters = $('#x-filters');
  filters.addEventListener('input', (e) => readFilters(e.target.type === 'checkbox' || e.target.tagName === 'SELECT'));
  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    readFilters(true);
  });
  $('#x-topics').addEventListener('click', (e) => {
    const chip = e.target.closest('[data-topic]');
    if (!chip) return;
    const word = chip.dataset.topic;
    $('#x-q').value = ui.filters.q.trim().toLowerCase() === word ? '' : word;
    readFilters(true);
  });
  $('#x-ranked').addEventListener('click', onRankedClick);
  // A row held under the pointer is rebuilt once the press ends (executive_views.js).
  for (const sel of ['#x-ranked', '#x-shortlist']) $(sel).addEventListener('rows-released', () => renderSoon());
  const list = $('#x-shortlist');
  list.addEventListener('click', onShortlistClick);
  list.addEventListener('pointerdown', (e) => {
    const id = shortlist.dragStart(e);
    if (id != null) ui.focus = { pane: 'shortlist', id };
  });
  list.addEventListener('input', (e) => {
    if (!e.target.classList.contains('x-note-input')) return;
    shortlist.draft(Number(e.target.dataset.id), e.target.value);
    const box = e.target.closest('.x-note');
    box.classList.add('dirty');
    box.querySelector('[data-act="note"]').disabled = false;
    box.querySelector('.x-note-by').textContent = 'not saved';
  });
  $('#help-button').addEventListener('click', () => $('#help').showModal());
  document.addEventListener('keydown', onKey);
  setInterval(() => refreshTimes(document), 15000);
  setInterval(() => refreshSoon(0), REFRESH_EVERY_MS);

  render();
  conn.subscribe({ status: PUBLIC, sort: 'newest' }, 1);
  conn.start();
}

start();
