// views: DOM rendering for the dashboard. Pure functions of the data they are given; no fetches,
// no state of their own beyond a cache of built cards.
//
// Safety: every piece of user data (text, author, source, verdict, names) enters the DOM through
// createTextNode / textContent or setAttribute on a non-event attribute — never through innerHTML.

import { ATTRIBUTES, STATUSES } from './store.js';

export const STATUS_LABELS = {
  pending: 'Pending',
  held: 'Held',
  approved: 'Approved',
  rejected: 'Rejected',
  auto_rejected: 'Auto-rejected',
  answered: 'Answered',
};

const ATTRIBUTE_LABELS = {
  toxicity: 'toxicity',
  severe_toxicity: 'severe',
  insult: 'insult',
  profanity: 'profanity',
  threat: 'threat',
  identity_attack: 'identity',
};

const ACTIONS = [
  { action: 'approve', label: 'Approve', key: 'a', target: 'approved' },
  { action: 'reject', label: 'Reject', key: 'r', target: 'rejected' },
  { action: 'hold', label: 'Hold', key: 'h', target: 'held' },
];

// h(tag, attrs, ...children): a small element builder. Strings become text nodes; attributes
// are set with setAttribute, and `on*` attributes are refused (handlers live in modules).
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v == null || v === false) continue;
      if (/^on/i.test(k)) throw new Error(`h(): refusing event attribute ${k}`);
      if (k === 'class') el.className = v;
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c == null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

// ---- time ----------------------------------------------------------------------------------

export function relativeTime(iso, now = Date.now()) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const s = Math.round((now - t) / 1000);
  if (s < 10) return 'just now';
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const hr = Math.floor(m / 60);
  if (hr < 48) return `${hr} h ago`;
  return `${Math.floor(hr / 24)} d ago`;
}

const timeFmt = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});
const dateTimeFmt = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

export function absoluteTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const today = new Date();
  return d.toDateString() === today.toDateString() ? timeFmt.format(d) : dateTimeFmt.format(d);
}

// Refreshes every relative time under root (called on a timer).
export function refreshTimes(root) {
  const now = Date.now();
  for (const el of root.querySelectorAll('time[data-rel]')) {
    el.textContent = relativeTime(el.getAttribute('datetime'), now);
  }
}

const numFmt = new Intl.NumberFormat();
export const fmtNum = (n) => numFmt.format(n);

// ---- highlights ----------------------------------------------------------------------------

// Splits `text` into segments by the spans' code-point offsets.
// Returns [{text, spans: [span...], ends: [span...]}]; `ends` are the spans that end with the
// segment (where their label goes). Out-of-range or empty spans are ignored.
export function segmentText(text, spans) {
  const cps = Array.from(text); // code points, as the server counts them
  const n = cps.length;
  const valid = (spans || []).filter(
    (s) => Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.end > s.start,
  );
  const clamped = valid.map((s) => ({ ...s, start: Math.min(s.start, n), end: Math.min(s.end, n) }));
  const cuts = new Set([0, n]);
  for (const s of clamped) {
    cuts.add(s.start);
    cuts.add(s.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i];
    const b = points[i + 1];
    if (a === b) continue;
    const covering = clamped.filter((s) => s.start <= a && s.end >= b);
    const ends = covering.filter((s) => s.end === b);
    out.push({ text: cps.slice(a, b).join(''), spans: covering, ends });
  }
  return out;
}

function renderText(q) {
  const p = h('p', { class: 'q-text' });
  for (const seg of segmentText(q.text || '', q.spans)) {
    if (!seg.spans.length) {
      p.appendChild(document.createTextNode(seg.text));
      continue;
    }
    // The strongest span colours the segment; all of them are named in the tooltip.
    const top = seg.spans.reduce((a, b) => ((b.weight ?? 0) > (a.weight ?? 0) ? b : a));
    const title = seg.spans
      .map((s) => {
        let t = s.attribute;
        if (s.weight != null) t += ` ${Number(s.weight).toFixed(2)}`;
        if (s.rule) t += ` (rule: ${s.rule})`;
        return t;
      })
      .join(', ');
    const attrs = { class: `hl hl-${cssIdent(top.attribute)}`, title, 'data-attribute': top.attribute };
    if (seg.ends.length) {
      // Label with the strongest attribute that ends here; the tooltip names the others.
      const byWeight = [...seg.ends].sort((a, b) => (b.weight ?? 0) - (a.weight ?? 0));
      const names = [...new Set(byWeight.map((s) => ATTRIBUTE_LABELS[s.attribute] || s.attribute))];
      attrs['data-label'] = names.length > 1 ? `${names[0]} +${names.length - 1}` : names[0];
    }
    p.appendChild(h('mark', attrs, seg.text));
  }
  return p;
}

function cssIdent(s) {
  return String(s).replace(/[^a-z0-9_-]/gi, '');
}

// ---- cards ---------------------------------------------------------------------------------

function level(v) {
  if (v >= 0.7) return 'high';
  if (v >= 0.3) return 'mid';
  return 'low';
}

function renderScores(scores) {
  const box = h('div', { class: 'scores', 'aria-label': 'Scores' });
  for (const a of ATTRIBUTES) {
    const raw = scores ? scores[a] : null;
    const known = typeof raw === 'number' && Number.isFinite(raw);
    const v = known ? Math.min(1, Math.max(0, raw)) : 0;
    const fill = h('span', { class: 'fill' });
    fill.style.setProperty('--v', String(v)); // CSSOM, allowed under a strict style CSP
    box.appendChild(
      h(
        'div',
        { class: `score lvl-${known ? level(v) : 'none'}`, title: `${a}: ${known ? v.toFixed(3) : 'not scored'}` },
        h('span', { class: 'score-name' }, ATTRIBUTE_LABELS[a]),
        h('span', { class: 'bar', role: 'presentation' }, fill),
        h('span', { class: 'score-val' }, known ? v.toFixed(2) : '–'),
      ),
    );
  }
  return box;
}

function renderCard(q, { busy, note }) {
  const status = q.status;
  const head = h(
    'div',
    { class: 'card-head' },
    h('span', { class: `pill st-${cssIdent(status)}` }, STATUS_LABELS[status] || status),
    h('span', { class: q.author ? 'author' : 'author anon' }, q.author || 'anonymous'),
    q.source ? h('span', { class: 'source' }, q.source) : null,
    h('span', { class: 'sep', 'aria-hidden': 'true' }, '·'),
    h(
      'time',
      { datetime: q.created_at, title: q.created_at, 'data-rel': '' },
      relativeTime(q.created_at),
    ),
    h('span', { class: 'abs-time' }, absoluteTime(q.created_at)),
    h('span', { class: 'qid', title: `question ${q.id}, version ${q.version}` }, `#${q.id} · v${q.version}`),
  );

  const actions = h('div', { class: 'actions' });
  for (const a of ACTIONS) {
    actions.appendChild(
      h(
        'button',
        {
          type: 'button',
          class: `btn btn-${a.action}`,
          'data-action': a.action,
          disabled: busy || status === a.target,
          title: `${a.label} (${a.key})`,
        },
        a.label,
        h('kbd', null, a.key),
      ),
    );
  }

  return h(
    'li',
    {
      class: `card st-${cssIdent(status)}${busy ? ' busy' : ''}`,
      'data-id': q.id,
      'data-status': status,
      'data-version': q.version,
      'aria-busy': busy ? 'true' : null,
    },
    head,
    renderText(q),
    q.verdict ? h('div', { class: 'verdict' }, h('span', { class: 'verdict-k' }, 'Auto'), q.verdict) : null,
    h('div', { class: 'card-foot' }, renderScores(q.scores), actions),
    note ? h('div', { class: `card-note note-${note.kind}`, role: 'status' }, note.text) : null,
  );
}

// Renders `items` into the <ol> `list`, reusing the card of a question whose version, busy state
// and note are unchanged, so a live update touches only what changed.
export function renderList(list, items, { selectedId, busy, notes }) {
  const cache = list._cards || (list._cards = new Map()); // id -> {key, el}
  const keep = new Set();
  let prev = null;
  for (const q of items) {
    const isBusy = busy.has(q.id);
    const note = notes.get(q.id) || null;
    const key = `${q.version}|${q.status}|${isBusy}|${note ? note.text : ''}`;
    let entry = cache.get(q.id);
    if (!entry || entry.key !== key) {
      const el = renderCard(q, { busy: isBusy, note });
      if (entry) entry.el.replaceWith(el);
      entry = { key, el };
      cache.set(q.id, entry);
    }
    const el = entry.el;
    const sel = q.id === selectedId;
    el.classList.toggle('selected', sel);
    if (sel) el.setAttribute('aria-current', 'true');
    else el.removeAttribute('aria-current');
    keep.add(q.id);
    const want = prev ? prev.nextSibling : list.firstChild;
    if (want !== el) list.insertBefore(el, want);
    prev = el;
  }
  for (const [id, entry] of cache) {
    if (!keep.has(id)) {
      entry.el.remove();
      cache.delete(id);
    }
  }
}

// ---- header, tabs, pager -------------------------------------------------------------------

export function renderCounts(box, counts) {
  if (!box.childElementCount) {
    for (const s of Object.keys(STATUS_LABELS)) {
      box.appendChild(
        h(
          'div',
          { class: `count st-${s}`, 'data-status': s },
          h('span', { class: 'count-n', 'data-count': s }, '0'),
          h('span', { class: 'count-l' }, STATUS_LABELS[s]),
        ),
      );
    }
  }
  for (const el of box.querySelectorAll('[data-count]')) {
    const n = counts[el.dataset.count] || 0;
    const t = fmtNum(n);
    if (el.textContent !== t) el.textContent = t;
    el.parentElement.classList.toggle('zero', n === 0);
  }
}

export function renderTabs(nav, tabs, activeId, countOf) {
  if (!nav.childElementCount) {
    tabs.forEach((t, i) => {
      nav.appendChild(
        h(
          'button',
          { type: 'button', role: 'tab', class: 'tab', 'data-tab': t.id, id: `tab-${t.id}`, 'aria-controls': 'list', title: `${t.label} (${i + 1})` },
          h('span', { class: 'tab-l' }, t.label),
          h('span', { class: 'tab-n', 'data-tab-count': t.id }, '0'),
        ),
      );
    });
  }
  for (const btn of nav.querySelectorAll('[data-tab]')) {
    const active = btn.dataset.tab === activeId;
    btn.setAttribute('aria-selected', active ? 'true' : 'false');
    btn.tabIndex = active ? 0 : -1;
    const n = btn.querySelector('.tab-n');
    const t = fmtNum(countOf(btn.dataset.tab));
    if (n.textContent !== t) n.textContent = t;
  }
}

const CONN_TEXT = {
  connecting: 'Connecting…',
  live: 'Live',
  waiting: 'Reconnecting',
  closed: 'Offline',
};

export function renderConnection(box, st) {
  box.dataset.state = st.state;
  const label = box.querySelector('.conn-label');
  let text = CONN_TEXT[st.state] || st.state;
  if (st.state === 'waiting' && st.retryAt) {
    const s = Math.max(0, Math.ceil((st.retryAt - Date.now()) / 1000));
    text = `Reconnecting in ${s} s`;
  }
  label.textContent = text;
  box.title = st.error ? `Last error: ${st.error}` : text;
  const retry = box.querySelector('.conn-retry');
  retry.hidden = st.state !== 'waiting';
}

// total: the view's size, or what is loaded of it when !totalKnown (shown as "N+").
export function renderPager(box, { page, pageSize, shown, total, totalKnown = true, hasNext, loading }) {
  box.replaceChildren();
  if (total === 0 && !loading) return;
  const from = shown ? page * pageSize + 1 : 0;
  const to = page * pageSize + shown;
  const of = totalKnown ? fmtNum(total) : `${fmtNum(total)}+`;
  box.appendChild(h('span', { class: 'pager-info' }, shown ? `${fmtNum(from)}–${fmtNum(to)} of ${of}` : ''));
  if (loading) box.appendChild(h('span', { class: 'pager-loading' }, 'Loading…'));
  box.appendChild(
    h('button', { type: 'button', class: 'btn btn-ghost', 'data-page': 'prev', disabled: page === 0 }, '‹ Newer'),
  );
  box.appendChild(
    h('button', { type: 'button', class: 'btn btn-ghost', 'data-page': 'next', disabled: !hasNext }, 'Older ›'),
  );
}

export function renderEmpty(box, { loading, error, tabLabel, filtered = false }) {
  box.replaceChildren();
  if (error) {
    box.appendChild(h('div', { class: 'empty error' }, `Could not load: ${error}`));
  } else if (loading) {
    box.appendChild(h('div', { class: 'empty' }, 'Loading…'));
  } else if (filtered) {
    box.appendChild(h('div', { class: 'empty' }, h('strong', null, `Nothing in ${tabLabel} matches the filters.`)));
  } else {
    box.appendChild(
      h(
        'div',
        { class: 'empty' },
        h('strong', null, `Nothing in ${tabLabel}.`),
        h('span', null, tabLabel === 'Review' ? ' New questions appear here as they arrive.' : ''),
      ),
    );
  }
}

// ---- filters --------------------------------------------------------------------------------

// Adds the state and attribute options to the filter selects (once).
export function fillFilterOptions(form) {
  const status = form.querySelector('#f-status');
  if (status.options.length <= 1) {
    for (const s of STATUSES) status.appendChild(h('option', { value: s }, STATUS_LABELS[s] || s));
  }
  const attr = form.querySelector('#f-attr');
  if (attr.options.length <= 1) {
    for (const a of ATTRIBUTES) attr.appendChild(h('option', { value: a }, ATTRIBUTE_LABELS[a] || a));
  }
}

// Marks the filter bar as active when anything beyond the tab narrows the view; the score
// range only applies with an attribute.
export function renderFilterState(form, f) {
  const active = Boolean(f.status || f.attribute || f.lang.trim() || f.author.trim() || f.source.trim() || f.q.trim());
  form.classList.toggle('active', active);
  const range = form.querySelector('.f-range');
  if (range) range.classList.toggle('disabled', !f.attribute);
  for (const el of form.querySelectorAll('.f-range input')) el.disabled = !f.attribute;
}

// ---- details panel -------------------------------------------------------------------------

export function renderDetails(box, q, history) {
  box.replaceChildren();
  if (!q) {
    box.appendChild(h('p', { class: 'muted' }, 'Select a question (j / k) to see its details and history.'));
    return;
  }
  const rows = [
    ['Question', `#${q.id} · version ${q.version}`],
    ['Status', STATUS_LABELS[q.status] || q.status],
    ['Author', q.author || 'anonymous'],
    ['Source', q.source ? (q.external_id ? `${q.source} (${q.external_id})` : q.source) : '—'],
    ['Language', q.lang || '—'],
    ['Received', `${absoluteTime(q.created_at)} (${relativeTime(q.created_at)})`],
    ['Updated', q.updated_at ? absoluteTime(q.updated_at) : '—'],
  ];
  const dl = h('dl', { class: 'facts' });
  for (const [k, v] of rows) dl.append(h('dt', null, k), h('dd', null, v));
  box.appendChild(dl);
  box.appendChild(h('h3', null, 'History'));
  if (!history || history.loading) {
    box.appendChild(h('p', { class: 'muted' }, 'Loading…'));
  } else if (history.error) {
    box.appendChild(h('p', { class: 'muted' }, `Could not load history: ${history.error}`));
  } else if (!history.items.length) {
    box.appendChild(h('p', { class: 'muted' }, 'No decisions yet.'));
  } else {
    const ol = h('ol', { class: 'history' });
    for (const d of history.items) {
      ol.appendChild(
        h(
          'li',
          null,
          h(
            'span',
            { class: 'h-who' },
            d.actor || (['approve', 'reject', 'hold'].includes(d.action) ? 'unnamed moderator' : 'automatic'),
          ),
          ' ',
          h('span', { class: 'h-what' }, `${d.from ? STATUS_LABELS[d.from] || d.from : 'new'} → ${STATUS_LABELS[d.to] || d.to}`),
          h('time', { datetime: d.at, title: d.at }, absoluteTime(d.at)),
          d.reason ? h('div', { class: 'h-reason' }, d.reason) : null,
        ),
      );
    }
    box.appendChild(ol);
  }
}

// ---- toasts --------------------------------------------------------------------------------

export function toast(box, text, kind = 'info', ms = 7000) {
  const el = h(
    'div',
    { class: `toast toast-${kind}`, role: kind === 'info' ? 'status' : 'alert' },
    h('span', { class: 'toast-text' }, text),
    h('button', { type: 'button', class: 'toast-close', 'aria-label': 'Dismiss' }, '×'),
  );
  el.querySelector('.toast-close').addEventListener('click', () => el.remove());
  box.appendChild(el);
  while (box.childElementCount > 4) box.firstElementChild.remove();
  setTimeout(() => el.remove(), ms);
  return el;
}
