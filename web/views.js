// views: DOM rendering for the dashboard. Pure functions of the data they are given; no fetches,
// no state of their own beyond a cache of built cards.
//
// Safety: every piece of user data (text, author, source, verdict, names) enters the DOM through
// createTextNode / textContent or setAttribute on a non-event attribute — never through innerHTML.

import { originLink, sourceLabel } from './origin.js';
import { ATTRIBUTES, STATUSES } from './store.js';

export const STATUS_LABELS = {
  pending: 'Pending',
  held: 'Held',
  approved: 'Approved',
  rejected: 'Rejected',
  auto_rejected: 'Auto-rejected',
  answered: 'Answered',
};

export const ATTRIBUTE_LABELS = {
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
// The card's source: a link to the original post when it came through a bridge (origin.js).
function sourceBadge(q) {
  if (!q.source) return null;
  const link = originLink(q);
  if (!link) return h('span', { class: 'source' }, q.source);
  return h('a', { class: 'source origin', href: link, target: '_blank', rel: 'noopener noreferrer',
    title: 'Open the original post' }, sourceLabel(q.source), ' ↗');
}

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

// A function that asks for render() once, soon: at the next animation frame, or within 100 ms
// where frames do not run (hidden tabs). Calls before it ran are one call.
export function renderLater(render) {
  let queued = false;
  const run = () => {
    if (!queued) return;
    queued = false;
    render();
  };
  return () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(run);
    setTimeout(run, 100);
  };
}

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

// The automatic verdict: its own, or the decision of its group it inherited (docs/api.md "A
// decision covers its group"), or its release back to review when that decision was withdrawn.
function renderVerdict(verdict) {
  if (!verdict) return null;
  const kind = verdict.startsWith('inherited:') ? 'inherited'
    : verdict.startsWith('released:') ? 'released'
    : verdict.startsWith('auto-decided, unsure:') ? 'unsure' : 'auto';
  const label = { inherited: 'Group', released: 'Released', unsure: 'Unsure', auto: 'Auto' }[kind];
  const title = {
    inherited: 'Decided by a moderator for its group of near-duplicates',
    released: 'Back to review: the group decision it inherited was withdrawn',
    unsure: 'Auto-decided on a best guess while few people asked it: its group goes to review once it grows, ' +
      'and that decision covers this question too. Open it to restore or decide it now',
    auto: 'The automatic triage',
  }[kind];
  return h('div', { class: `verdict v-${kind}`, title }, h('span', { class: 'verdict-k' }, label), verdict);
}

// How the audit trail names the automatic steps of group decisions.
const TRAIL_ACTIONS = { inherit: 'inherited from its group', release: 'released to review', unsure: 'auto-decided, unsure' };

// The executives' mark on a card: on their shortlist, or being answered now (the note in the
// tooltip).
function shortlistBadge(listed) {
  if (!listed) return null;
  const now = listed.answering_now;
  return h(
    'span',
    {
      class: `shortlist-badge${now ? ' now' : ''}`,
      title: listed.note ? `Executives' note: ${listed.note}` : 'On the executives\' shortlist',
    },
    now ? '▶ Answering now' : '★ Shortlisted',
  );
}

function renderCard(q, { busy, note, similar, listed = null }) {
  const status = q.status;
  const head = h(
    'div',
    { class: 'card-head' },
    h('input', {
      type: 'checkbox',
      class: 'card-check',
      'aria-label': `Select #${q.id} for a bulk action (x)`,
      title: 'Select for a bulk action (x)',
    }),
    h('span', { class: `pill st-${cssIdent(status)}` }, STATUS_LABELS[status] || status),
    h('span', { class: q.author ? 'author' : 'author anon' }, q.author || 'anonymous'),
    sourceBadge(q),
    h('span', { class: 'sep', 'aria-hidden': 'true' }, '·'),
    h(
      'time',
      { datetime: q.created_at, title: q.created_at, 'data-rel': '' },
      relativeTime(q.created_at),
    ),
    h('span', { class: 'abs-time' }, absoluteTime(q.created_at)),
    similar > 1
      ? h(
          'button',
          {
            type: 'button',
            class: 'cluster-badge',
            'data-cluster': q.cluster.id,
            title: `Show the group of ${similar} similar questions (g)`,
          },
          `${fmtNum(similar)} similar`,
        )
      : null,
    shortlistBadge(listed),
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
    renderVerdict(q.verdict),
    renderCorrection(q.event_correction),
    h('div', { class: 'card-foot' }, renderScores(q.scores), actions),
    note ? h('div', { class: `card-note note-${note.kind}`, role: 'status' }, note.text) : null,
  );
}

// Renders `items` into the <ol> `list`, reusing the card of a question whose version, busy state,
// note and group size are unchanged, so a live update touches only what changed. `selectedId` is
// the focused card (j/k); `checked` the ids selected for a bulk action (x); `clusterSize(q)` the
// size of q's near-duplicate group as known now.
// shortlist: question id -> its entry on the executives' shortlist ({answering_now, note, ...}).
export function renderList(
  list,
  items,
  { selectedId, busy, notes, checked = new Set(), clusterSize = () => 1, shortlist = new Map() },
) {
  const cache = list._cards || (list._cards = new Map()); // id -> {key, el}
  const keep = new Set();
  let prev = null;
  for (const q of items) {
    const isBusy = busy.has(q.id);
    const note = notes.get(q.id) || null;
    const similar = clusterSize(q);
    const listed = shortlist.get(q.id) || null;
    const mark = listed ? `${listed.answering_now ? 'now' : 'listed'}:${listed.note || ''}` : '';
    const key = `${q.version}|${q.status}|${isBusy}|${note ? note.text : ''}|${similar}|${mark}`;
    let entry = cache.get(q.id);
    if (!entry || entry.key !== key) {
      const el = renderCard(q, { busy: isBusy, note, similar, listed });
      if (entry) entry.el.replaceWith(el);
      entry = { key, el, box: el.querySelector('.card-check') };
      cache.set(q.id, entry);
    }
    const el = entry.el;
    const sel = q.id === selectedId;
    el.classList.toggle('selected', sel);
    if (sel) el.setAttribute('aria-current', 'true');
    else el.removeAttribute('aria-current');
    const isChecked = checked.has(q.id);
    el.classList.toggle('checked', isChecked);
    if (entry.box.checked !== isChecked) entry.box.checked = isChecked;
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

// "Signed in as NAME (role)". me: {name, role, event} from GET /api/v1/session, or null.
export function renderIdentity(box, me) {
  const name = box.querySelector('.who-name');
  const role = box.querySelector('.who-role');
  if (!me) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  name.textContent = me.name;
  role.textContent = me.event ? `${me.role}, ${me.event}` : me.role;
}

// The header's "learned from N decisions": report is GET .../learning (null: not readable, hidden).
export function renderLearning(box, report) {
  if (!report) {
    box.hidden = true;
    return;
  }
  const n = report.learned_from.decisions;
  box.hidden = false;
  box.dataset.enabled = String(report.enabled);
  box.textContent = report.enabled ? `Learned from ${n} decision${n === 1 ? '' : 's'}` : `Learning off (${n} decisions kept)`;
  const words = (report.top_words || []).slice(0, 5).map((w) => `${w.word} ${w.shift > 0 ? '+' : ''}${w.shift}`);
  const band = report.band;
  const narrowed = Boolean(report.enabled && band && band.narrowing && band.narrowed);
  box.dataset.narrowed = String(narrowed);
  if (narrowed) box.textContent += ', review band narrowed';
  const unsure = report.unsure;
  box.dataset.unsure = String(Boolean(report.enabled && unsure && unsure.active));
  if (report.enabled && unsure && unsure.active) box.textContent += `, unsure texts auto-decided until ${unsure.review_from_members} ask`;
  // Before enough decisions: the shift from the event's estimated share of hostile questions.
  const prior = report.prior;
  const raising = Boolean(report.enabled && prior && prior.in_force && prior.shift > 0);
  box.dataset.prior = String(raising);
  const share = raising ? Math.round(prior.estimated_hostile_share * 100) : 0;
  if (raising) box.textContent += `, scores +${prior.shift} (${share}% hostile)`;
  box.title =
    `The event's correction of the model, learned from ${report.learned_from.groups} groups its moderators decided; ` +
    `it moves a score by at most ${report.bound.now} logits now` +
    (words.length ? `. Words: ${words.join(', ')}` : '') +
    (narrowed ? `. ${bandNote(band)}` : '') +
    (unsure && unsure.enabled
      ? `. Auto-decided, unsure: ${unsure.active ? 'on' : `from ${unsure.min_labelled_groups} decided groups`}; ` +
        `a text in the review band is decided on the correction's best guess until ${unsure.review_from_members} ` +
        'questions join its group, then a moderator decides the whole group'
      : '') +
    (raising
      ? `. Until ${prior.until_labelled_groups} groups are decided: the event's latest ${Math.min(prior.questions_read, prior.window)} ` +
        `questions look ${share}% hostile by the model's scores (it is calibrated for ${Math.round(prior.reference_share * 100)}%), ` +
        `so every new question's scores are raised by ${prior.shift} logits`
      : '');
}

// What the calibrated review band settles without a human (report.band of GET .../learning).
export function bandNote(band) {
  const parts = [];
  if (band.approve.checked_groups > 0)
    parts.push(`approves below P(hostile) ${band.approve_below_probability} ` +
      `(${Math.round(band.approve.estimated_error * 100)}% wrong on ${band.approve.checked_groups} held-out decisions)`);
  if (band.reject.checked_groups > 0)
    parts.push(`rejects from P(hostile) ${band.reject_from_probability} ` +
      `(${Math.round(band.reject.estimated_error * 100)}% wrong on ${band.reject.checked_groups} held-out decisions)`);
  return `Review band narrowed: it ${parts.join(' and ')}`;
}

// What the event's correction did to a question (q.event_correction: {delta, moved_from}), or null.
export function correctionNote(c) {
  if (!c || !c.delta) return null;
  const by = `${c.delta > 0 ? '+' : ''}${c.delta.toFixed(2)}`;
  if (!c.moved_from) return { moved: false, text: `Learned ${by}`, title: `The event's correction shifted its scores by ${by} logits; its status is the same` };
  const from = STATUS_LABELS[c.moved_from] || c.moved_from;
  return {
    moved: true,
    text: `Learned ${by}, was ${from}`,
    title: `The event's correction shifted its scores by ${by} logits: without it, it would be ${from}`,
  };
}

function renderCorrection(c) {
  const n = correctionNote(c);
  if (!n) return null;
  return h('div', { class: `correction${n.moved ? ' c-moved' : ''}`, title: n.title }, n.text);
}

const CHIPS_SHOWN = 4; // moderators shown one by one; beyond, a count with the names in its title

// The moderators watching the event and the arrivals per minute. activity: {moderators,
// arrivalsPerMinute} (from the stream; null before the first message); me: who is signed in;
// live: whether the stream is connected (else the numbers are marked as stale).
export function renderActivity(box, activity, me, live) {
  const key = JSON.stringify([activity, me && me.name, live]);
  if (box._key === key) return;
  box._key = key;
  box.hidden = !activity;
  box.classList.toggle('stale', !live);
  if (!activity) return;
  const rate = box.querySelector('.rate');
  const n = activity.arrivalsPerMinute;
  rate.hidden = n == null;
  rate.querySelector('.rate-n').textContent = n == null ? '' : fmtNum(Math.round(n));
  rate.title = live ? `${n ?? 0} questions arrived in the last minute` : 'Offline: last known rate';

  const online = box.querySelector('.online');
  const mods = [...(activity.moderators || [])];
  const myName = me ? me.name : null;
  mods.sort((a, b) => (b.name === myName) - (a.name === myName) || a.name.localeCompare(b.name));
  const label = (m) => (m.name === myName ? `${m.name} (you)` : m.name);
  const describe = (m) =>
    `${label(m)}${m.role ? `, ${m.role}` : ''}${m.connections > 1 ? `, ${m.connections} tabs` : ''}`;
  const chips = [];
  const shown = mods.length > CHIPS_SHOWN ? mods.slice(0, CHIPS_SHOWN - 1) : mods;
  for (const m of shown) {
    chips.push(
      h(
        'span',
        { class: `chip${m.name === myName ? ' chip-you' : ''}`, 'data-moderator': m.name, title: describe(m) },
        label(m),
      ),
    );
  }
  const rest = mods.slice(shown.length);
  if (rest.length) {
    chips.push(
      h('span', { class: 'chip chip-more', title: rest.map(describe).join('\n') }, `+${fmtNum(rest.length)} more`),
    );
  }
  online.replaceChildren(...chips);
  online.title = `${fmtNum(mods.length)} moderator${mods.length === 1 ? '' : 's'} online: ${mods.map(label).join(', ')}`;
  const count = box.querySelector('.online-n');
  count.textContent = `${fmtNum(mods.length)} online`;
}

// The bulk bar: shown while cards are selected (x) or a near-duplicate group is viewed.
// state: {selected: n, group: id | null, busy: bool}. Rebuilt only when that changes, so a
// click on it is never lost to a re-render.
export function renderBulkBar(box, { selected, group, busy }) {
  const key = `${selected}|${group}|${busy}`;
  if (box._key === key) return;
  box._key = key;
  box.replaceChildren();
  box.hidden = !selected && group == null;
  if (box.hidden) return;
  const act = (action, label, scope, key2) =>
    h(
      'button',
      {
        type: 'button',
        class: `btn btn-small btn-${action}`,
        'data-bulk': action,
        'data-scope': scope,
        disabled: busy,
        title: key2 ? `${label} (${key2})` : label,
      },
      label,
      key2 ? h('kbd', null, key2) : null,
    );
  if (selected) {
    box.appendChild(
      h(
        'div',
        { class: 'bulk-part', 'data-part': 'selection' },
        h('strong', { class: 'bulk-n' }, `${fmtNum(selected)} selected`),
        h('span', { class: 'bulk-sep', 'aria-hidden': 'true' }, '·'),
        act('approve', 'Approve', 'selection', 'a'),
        act('reject', 'Reject', 'selection', 'r'),
        act('hold', 'Hold', 'selection', 'h'),
        h('span', { class: 'bulk-sep', 'aria-hidden': 'true' }, '·'),
        h(
          'button',
          { type: 'button', class: 'btn btn-small btn-ghost', 'data-bulk': 'clear', title: 'Clear the selection (Esc)' },
          'Clear',
        ),
        h('span', { class: 'bulk-hint' }, 'a / r / h act on the whole selection'),
      ),
    );
  }
  if (group != null) {
    box.appendChild(
      h(
        'div',
        { class: 'bulk-part', 'data-part': 'group' },
        h('strong', null, `Group #${group}`),
        h('span', { class: 'bulk-sep', 'aria-hidden': 'true' }, '·'),
        act('approve', 'Approve group', 'group'),
        act('reject', 'Reject group', 'group'),
        act('hold', 'Hold group', 'group'),
        h('span', { class: 'bulk-hint' }, 'all its pending and held questions'),
      ),
    );
  }
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
export function renderFilterState(form, f, group = null) {
  const active = Boolean(
    group != null || f.status || f.attribute || f.lang.trim() || f.author.trim() || f.source.trim() || f.q.trim(),
  );
  form.classList.toggle('active', active);
  const chip = form.querySelector('#f-group');
  if (chip) {
    chip.hidden = group == null;
    const label = group == null ? '' : `Group #${group}`;
    const l = chip.querySelector('.chip-l');
    if (l.textContent !== label) l.textContent = label;
    chip.dataset.cluster = group == null ? '' : String(group);
  }
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
    ['Source', q.source ? (q.external_id ? `${sourceLabel(q.source)} (${q.external_id})` : sourceLabel(q.source)) : '—'],
    ['Language', q.lang || '—'],
    // A bridged post's own time (docs/api.md "Sources"), else when Tribune received it.
    [q.origin_url ? 'Posted' : 'Received', `${absoluteTime(q.created_at)} (${relativeTime(q.created_at)})`],
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
          TRAIL_ACTIONS[d.action] ? h('span', { class: `h-action a-${cssIdent(d.action)}` }, TRAIL_ACTIONS[d.action]) : null,
          TRAIL_ACTIONS[d.action] ? ' ' : null,
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
