// executive_views: DOM rendering for the executives' page (executive.js): the ranked list of
// approved questions with each score's terms, the shortlist with its order, "answering now",
// "answered" and notes, the topic chips and the formula. Pure functions of what they are given.
//
// Safety: as views.js — user text (questions, authors, notes, names) enters the DOM only as
// text nodes or attribute values through h(), never as HTML.

import { ATTRIBUTE_LABELS, fmtNum, h, relativeTime } from './views.js';

export const DEFAULT_WEIGHTS = Object.freeze({ votes: 1, group: 1, recency: 1, half_life: 30 });

const num = (v, digits = 2) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : '–');

// "score = 1.0 × ln(1 + votes) + 1.0 × ln(asked) + 1.0 × 2^(−age / 30 min)"
export function formulaText(w) {
  return (
    `score = ${num(w.votes, 1)} × ln(1 + votes) + ${num(w.group, 1)} × ln(asked)` +
    ` + ${num(w.recency, 1)} × 2^(−age / ${w.half_life} min)`
  );
}

function askedText(n) {
  return n > 1 ? `asked by ${fmtNum(n)}` : 'asked once';
}

function meta(q, extra = []) {
  const parts = [
    h('span', { class: q.author ? 'author' : 'author anon' }, q.author || 'anonymous'),
    h('span', { class: 'x-asked', title: 'How many asked the same (near-duplicates)' }, askedText(q.cluster?.size ?? 1)),
    h('span', { class: 'x-votes', title: 'Audience votes' }, `▲ ${fmtNum(q.votes || 0)}`),
    h('time', { datetime: q.created_at, title: q.created_at, 'data-rel': '' }, relativeTime(q.created_at)),
    q.lang && q.lang !== 'und' ? h('span', { class: 'x-lang', title: 'Language' }, q.lang) : null,
    q.is_question === false
      ? h('span', { class: 'x-notq', title: 'The "is it a question?" signal says this reads as a statement' }, 'not a question?')
      : null,
    ...extra,
  ].filter(Boolean);
  const out = h('div', { class: 'x-meta' });
  parts.forEach((p, i) => {
    if (i) out.appendChild(h('span', { class: 'sep', 'aria-hidden': 'true' }, '·'));
    out.appendChild(p);
  });
  return out;
}

// The classifier's scores, when the event lets executives see them.
function scoresLine(q) {
  if (!q.scores) return null;
  const top = Object.entries(q.scores)
    .filter(([, v]) => typeof v === 'number')
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([k, v]) => `${ATTRIBUTE_LABELS[k] || k} ${v.toFixed(2)}`);
  return h('div', { class: 'x-scores', title: 'Classifier scores (shown because an admin allows it)' }, top.join(' · '));
}

function scoreLine(rank) {
  const p = rank.parts || {};
  return h(
    'div',
    {
      class: 'x-score',
      title:
        `votes ${rank.votes}, asked ${rank.asked}, newest ${num(rank.age_minutes, 1)} min ago` +
        (rank.public_questions > 1 ? `; ${rank.public_questions} approved near-duplicates shown as one` : ''),
    },
    h('strong', { class: 'x-score-total' }, num(rank.score)),
    ` = ${num(p.votes)} votes + ${num(p.group)} asked + ${num(p.recency)} recent`,
  );
}

const timeBucket = () => Math.floor(Date.now() / 15000); // relative times move

// Rows keyed by `data-id`: a row whose own key is unchanged keeps its element, and stays where
// it is unless the order moved it; only changed rows are built again.
// While a row is pressed (pointer down on it, not on a drag handle) the list is left as it is:
// when the element under the pointer is replaced or moved between mousedown and mouseup (a
// stream frame, the ranking's refresh, which moves every row's recency, another row's request
// finishing), the browser sends the click to the list instead, and the press is lost. The
// render waits for the press to end and its click to be delivered; the list then fires
// 'rows-released' and the page renders again. Dragging re-renders as the entry moves.
function rebuildRows(list, rows) {
  trackPress(list);
  if (list._pressed && list._pressed.isConnected) {
    list._held = true;
    return;
  }
  const old = new Map([...list.children].map((el) => [el.dataset.id, el]));
  const next = rows.map(({ id, key, build }) => {
    const el = old.get(String(id));
    if (el && el._key === key) return el;
    const fresh = build();
    fresh._key = key;
    return fresh;
  });
  const keep = new Set(next);
  for (const el of [...list.children]) if (!keep.has(el)) el.remove();
  let cursor = list.firstChild;
  for (const el of next) {
    if (el === cursor) cursor = cursor.nextSibling;
    else list.insertBefore(el, cursor);
  }
}

function trackPress(list) {
  if (list._tracksPress) return;
  list._tracksPress = true;
  const free = () => {
    clearTimeout(list._pressTimer);
    list._pressed = null;
    if (!list._held) return;
    list._held = false;
    list.dispatchEvent(new Event('rows-released'));
  };
  list.addEventListener('pointerdown', (e) => {
    if (e.target.closest('.drag-handle')) return;
    list._pressed = [...list.children].find((row) => row.contains(e.target)) || null;
    // Never held for long, should a release never arrive (the pointer let go outside the page).
    clearTimeout(list._pressTimer);
    if (list._pressed) list._pressTimer = setTimeout(free, 5000);
  });
  const release = () => {
    // After this input's mouseup and click, which follow pointerup in the same task.
    if (list._pressed) setTimeout(free, 0);
  };
  window.addEventListener('pointerup', release);
  window.addEventListener('pointercancel', release);
}

// The ranked list. items: [{question, rank}] best first.
export function renderRanked(list, items, { focusId, starred, busy }) {
  const bucket = timeBucket();
  rebuildRows(
    list,
    items.map((item, i) => ({
      id: item.question.id,
      key: JSON.stringify([item, i, item.question.id === focusId, starred.has(item.question.id), busy.has(item.question.id), bucket]),
      build: () => rankedRow(item, i, { focusId, starred, busy }),
    })),
  );
}

function rankedRow({ question: q, rank }, i, { focusId, starred, busy }) {
  const on = starred.has(q.id);
  return h(
    'li',
    {
      class: `x-row${q.id === focusId ? ' focused' : ''}${on ? ' starred' : ''}${rank.answered ? ' answered' : ''}`,
      'data-id': q.id,
      'data-score': rank.score,
    },
    h('span', { class: 'x-rank', 'aria-hidden': 'true' }, String(i + 1)),
    h(
      'div',
      { class: 'x-body' },
      rank.answered ? h('span', { class: 'x-badge x-badge-answered' }, 'Answered') : null,
      h('p', { class: 'x-text' }, q.text),
      meta(q),
      scoreLine(rank),
      scoresLine(q),
    ),
    h(
      'button',
      {
        type: 'button',
        class: 'x-star',
        'data-act': 'star',
        'aria-pressed': on ? 'true' : 'false',
        'aria-label': on ? `Remove #${q.id} from the shortlist` : `Add #${q.id} to the shortlist`,
        title: on ? 'On the shortlist (s removes it)' : 'Add to the shortlist (s)',
        disabled: busy.has(q.id),
      },
      on ? '★' : '☆',
    ),
  );
}

function entryActions(e, { first, last, busy }) {
  const b = (act, label, attrs = {}) =>
    h('button', { type: 'button', class: 'btn btn-small', 'data-act': act, disabled: busy, ...attrs }, label);
  const answered = e.question.status === 'answered';
  return h(
    'div',
    { class: 'x-actions' },
    b('up', '▲', { 'aria-label': 'Move up (K)', title: 'Move up (K)', disabled: busy || first, class: 'btn btn-small btn-ghost' }),
    b('down', '▼', { 'aria-label': 'Move down (J)', title: 'Move down (J)', disabled: busy || last, class: 'btn btn-small btn-ghost' }),
    e.answering_now
      ? b('now', 'Stop answering', { class: 'btn btn-small x-now-on', title: 'No longer answering it now (n)' })
      : b('now', 'Answer now', { class: 'btn btn-small x-now', title: 'Show it on the room display as being answered (n)', disabled: busy || answered }),
    b('answered', answered ? 'Answered' : 'Mark answered', { title: 'Mark answered (d)', disabled: busy || answered }),
    b('remove', 'Remove', { class: 'btn btn-small btn-ghost', title: 'Take it off the shortlist (s)' }),
  );
}

function noteBox(e, draft) {
  const value = draft ?? e.note ?? '';
  const area = h('textarea', {
    class: 'x-note-input',
    rows: value.length > 80 ? 3 : 1,
    maxlength: 1000,
    placeholder: 'Short answer or note…',
    'aria-label': `Answer or note for question ${e.question.id}`,
    'data-id': e.question.id,
  });
  area.value = value;
  const who = e.note && e.note_by ? `by ${e.note_by}${e.note_at ? `, ${relativeTime(e.note_at)}` : ''}` : '';
  const dirty = draft != null && draft !== (e.note ?? '');
  return h(
    'div',
    { class: `x-note${dirty ? ' dirty' : ''}` },
    area,
    h(
      'div',
      { class: 'x-note-foot' },
      h('span', { class: 'muted x-note-by' }, dirty ? 'not saved' : who),
      h('button', { type: 'button', class: 'btn btn-small', 'data-act': 'note', disabled: !dirty }, 'Save'),
    ),
  );
}

// The shortlist in the order given. entries: [{question, answering_now, note, ...}]. Rows
// keyed like the ranked list's (rebuildRows): a press on one entry's button, or a note being
// written in it, survives a render caused by another entry.
export function renderShortlist(list, entries, { focusId, dragId, busy, drafts }) {
  const bucket = timeBucket();
  const last = entries.length - 1;
  rebuildRows(
    list,
    entries.map((e, i) => {
      const id = e.question.id;
      const draft = drafts.get(id);
      return {
        id,
        key: JSON.stringify([e, i, i === last, id === focusId, id === dragId, busy.has(id), draft ?? null, bucket]),
        build: () => shortlistRow(e, i, { focusId, dragId, busy: busy.has(id), draft, last: i === last }),
      };
    }),
  );
}

function shortlistRow(e, i, { focusId, dragId, busy, draft, last }) {
  const q = e.question;
  const answered = q.status === 'answered';
  const cls = ['x-entry'];
  if (q.id === focusId) cls.push('focused');
  if (e.answering_now) cls.push('now');
  if (answered) cls.push('answered');
  if (q.id === dragId) cls.push('dragging');
  return h(
    'li',
    { class: cls.join(' '), 'data-id': q.id, 'aria-current': e.answering_now ? 'true' : null },
    h('span', { class: 'drag-handle', title: 'Drag to reorder', 'aria-hidden': 'true' }, '⠿'),
    h('span', { class: 'x-pos', 'aria-hidden': 'true' }, String(i + 1)),
    h(
      'div',
      { class: 'x-body' },
      e.answering_now ? h('span', { class: 'x-badge x-badge-now' }, 'Answering now') : null,
      answered ? h('span', { class: 'x-badge x-badge-answered' }, 'Answered') : null,
      h('p', { class: 'x-text' }, q.text),
      meta(q, [h('span', { class: 'x-added', title: e.added_at }, `added by ${e.added_by}`)]),
      noteBox(e, draft),
      entryActions(e, { first: i === 0, last, busy }),
    ),
  );
}

// Topic chips: the words most asked about; `selected` is the one searched.
export function renderTopics(box, topics, selected) {
  const chips = (topics || []).map((t) =>
    h(
      'button',
      {
        type: 'button',
        class: `chip chip-topic${t.word === selected ? ' on' : ''}`,
        'data-topic': t.word,
        'aria-pressed': t.word === selected ? 'true' : 'false',
        title: `${t.questions} questions mention "${t.word}"`,
      },
      t.word,
      h('span', { class: 'chip-n' }, String(t.questions)),
    ),
  );
  box.replaceChildren(...(chips.length ? [h('span', { class: 'f-l' }, 'Topics'), ...chips] : []));
}

export function renderEmpty(box, text) {
  box.replaceChildren(...(text ? [h('p', { class: 'empty' }, text)] : []));
}
