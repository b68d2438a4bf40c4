// store: the client's copy of one event — the loaded part of the current view, in the view's
// order, and the exact counts per state.
//
// The server owns membership: a view's first page arrives as a snapshot, further pages come from
// the question list API, and every later change arrives in a frame as "upsert" (the question is
// in the view now) or "remove" (it left). Counts are replaced by each frame's counts, which the
// server keeps exact, so the client never adds them up itself.
//
// A question is replaced only by one with the same or a higher `version` (the stream, HTTP
// answers and page loads can deliver the same question in any order); a removal is ignored when
// we already hold a newer version. Listeners are called after every change.
//
// Near-duplicate groups: each question carries `cluster: {id, size, in_review, heat}`. The store
// keeps the largest size seen per group, and a frame that brings a newly created question of group
// X raises X's size, so the badges of the other loaded questions of X stay current without touching
// them (clusterSize(q) reads it; O(1) per change). For sort=impact it keeps each group's members in
// review and heat as the latest message said (groupOf(q)), and re-sorts the loaded items after a
// frame: a decision in one group moves all of that group's cards.
//
// Page frames (a subscribe with "page": true: newest, oldest, impact over review states) carry only what
// changes the view's first page and the page itself as ids: the loaded items become that page
// (_takePage), and what lies past it is loaded again through the list API when its end moved.
//
// The older per-change protocol (applyChange, list(statuses)) is kept for tools and tests.

export const STATUSES = ['pending', 'held', 'approved', 'rejected', 'auto_rejected', 'answered'];

export const ATTRIBUTES = [
  'toxicity',
  'severe_toxicity',
  'insult',
  'profanity',
  'threat',
  'identity_attack',
];

export const SORTS = ['newest', 'oldest', 'severity', 'votes', 'impact'];

function emptyCounts() {
  return Object.fromEntries(STATUSES.map((s) => [s, 0]));
}

// The severity the server sorts by: the highest score, in thousandths.
export function severityKey(q) {
  let m = 0;
  for (const a of ATTRIBUTES) {
    const v = q.scores ? q.scores[a] : 0;
    if (typeof v === 'number' && v > m) m = v;
  }
  return Math.round(m * 1000);
}

// A question's group as sort=impact reads it: {id, review, heat}, from q.cluster.
export function groupOfQuestion(q) {
  const c = q && q.cluster;
  return {
    id: c && Number.isInteger(c.id) ? c.id : q.id,
    review: c && Number.isFinite(c.in_review) ? c.in_review : 0,
    heat: c && Number.isFinite(c.heat) ? c.heat : 0,
  };
}

// A comparator for `sort`: negative when a comes first. Ties go to the newest (highest id).
// sort=impact (docs/api.md): the group's members in review, its heat, the newest group, then the
// newest question; `groupOf(q)` gives the group as currently known.
export function comparator(sort, groupOf = groupOfQuestion) {
  switch (sort) {
    case 'impact':
      return (a, b) => {
        const ga = groupOf(a);
        const gb = groupOf(b);
        return gb.review - ga.review || gb.heat - ga.heat || gb.id - ga.id || b.id - a.id;
      };
    case 'oldest':
      return (a, b) => a.id - b.id;
    case 'severity':
      return (a, b) => severityKey(b) - severityKey(a) || b.id - a.id;
    case 'votes':
      return (a, b) => (b.votes || 0) - (a.votes || 0) || b.id - a.id;
    default:
      return (a, b) => b.id - a.id;
  }
}

// q.cluster as {id, size} when it is well-formed, else null.
export function clusterOf(q) {
  const c = q && q.cluster;
  if (!c || !Number.isInteger(c.id) || !Number.isInteger(c.size) || c.size < 1) return null;
  return c;
}

export class Store {
  constructor() {
    this.questions = new Map(); // id -> question: everything held (the view and HTTP answers)
    this.counts = emptyCounts();
    this.lastActor = new Map(); // id -> {actor, at, to} of the last change seen on the stream
    this.clusterSizes = new Map(); // group id -> the largest size known
    this.groups = new Map(); // group id -> {id, review, heat} as the latest message said
    this.rev = 0; // bumped on every change; list caches key on it
    this.listeners = new Set();
    this._lists = new Map(); // key -> {rev, items}
    // The current view: its sort and states (for HTTP answers), the loaded items in order, and
    // where the next page starts (null with `complete` when everything is loaded).
    this.view = { key: null, sort: 'newest', statuses: null, items: [], cursor: null, complete: true, ready: false };
  }

  subscribe(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  _changed(what) {
    this.rev += 1;
    for (const fn of this.listeners) fn(what);
  }

  get(id) {
    return this.questions.get(id);
  }

  // Starts a new view: nothing is shown until its snapshot arrives.
  beginView(key, { sort = 'newest', statuses = null } = {}) {
    this.view = { key, sort, statuses, items: [], cursor: null, complete: false, ready: false };
    this._changed({ type: 'view' });
  }

  // A snapshot replaces everything: questions we hold that are not in it may have changed
  // while we were away, so they are dropped. Its items are the view's first page, in order.
  applySnapshot(msg) {
    this.questions.clear();
    this.lastActor.clear();
    this.clusterSizes.clear();
    this.groups.clear();
    this.counts = { ...emptyCounts(), ...(msg.counts || {}) };
    const items = [];
    for (const q of msg.items || []) if (this._put(q)) items.push(q);
    if (msg.view && msg.view.sort) this.view.sort = msg.view.sort;
    if (msg.view && Array.isArray(msg.view.status)) {
      this.view.statuses = msg.view.status.length ? msg.view.status : null;
    }
    this.view.items = items;
    this.view.pageIds = new Set(items.map((q) => q.id));
    this.view.pageCursor = msg.next_cursor ?? null;
    this.view.cursor = msg.next_cursor ?? null;
    this.view.complete = !msg.next_cursor;
    this.view.ready = true;
    this._changed({ type: 'snapshot' });
  }

  // One frame: {prev, seq, counts, changes: [{op, seq, change, from, actor, question}]}.
  applyFrame(msg) {
    if (msg.counts) this.counts = { ...emptyCounts(), ...msg.counts };
    const changed = [];
    for (const c of msg.changes || []) {
      const q = c.question;
      if (!q) continue;
      if (c.change === 'updated') {
        this.lastActor.set(q.id, { actor: c.actor ?? null, at: q.updated_at, to: q.status });
      }
      const held = this.questions.get(q.id);
      if (held && held.version > q.version) continue; // we already have newer news
      if (c.change === 'created' && !held) this._grewCluster(q);
      if (c.op === 'remove') {
        this.questions.set(q.id, q);
        this._noteGroup(q);
        this._removeFromView(q.id);
      } else {
        this._put(q);
        this._placeInView(q);
      }
      changed.push(q.id);
    }
    // Another member's decision moves a whole group in the impact order.
    if (changed.length && this.view.sort === 'impact') this.view.items.sort(this._comparator());
    if (Array.isArray(msg.page)) this._takePage(msg.page, msg.next_cursor ?? null);
    this._changed({ type: 'frame', ids: changed });
  }

  // A page frame's page (docs/api.md "Page frames"): the view's first questions, by id, in
  // order, every one of them held (the frame or an earlier one brought it). What was loaded
  // past the page stays while the page ends where it did (same next_cursor); otherwise it is
  // dropped and loaded again from the page's new end.
  _takePage(ids, nextCursor) {
    const v = this.view;
    const page = [];
    for (const id of ids) {
      const q = this.questions.get(id);
      if (q) page.push(q);
    }
    const inPage = new Set(ids);
    const before = v.pageIds || new Set();
    const keepTail = nextCursor !== null && nextCursor === v.pageCursor;
    const tail = keepTail ? v.items.filter((q) => !inPage.has(q.id) && !before.has(q.id)) : [];
    v.items = page.concat(tail);
    v.pageIds = inPage;
    v.pageCursor = nextCursor;
    if (!keepTail) {
      v.cursor = nextCursor;
      v.complete = nextCursor === null;
    }
  }

  // The next page of the view from the list API, in the view's order.
  appendPage(items, cursor) {
    const v = this.view;
    const cmp = this._comparator();
    for (const q of items) {
      if (!this._put(q)) continue;
      const at = v.items.findIndex((x) => x.id === q.id);
      if (at >= 0) v.items.splice(at, 1);
      const last = v.items[v.items.length - 1];
      if (!last || cmp(last, q) <= 0) v.items.push(q);
      else v.items.splice(this._insertionPoint(q, cmp), 0, q);
    }
    v.cursor = cursor ?? null;
    v.complete = !cursor;
    this._changed({ type: 'page' });
  }

  // One `question` message of the per-change protocol: {seq, change, from, question, actor}.
  applyChange(msg) {
    const q = msg.question;
    if (!q) return;
    if (msg.change === 'created' || msg.from == null) {
      this._bump(q.status, +1);
    } else if (msg.from !== q.status) {
      this._bump(msg.from, -1);
      this._bump(q.status, +1);
    }
    if (msg.change === 'updated') {
      this.lastActor.set(q.id, { actor: msg.actor ?? null, at: q.updated_at, to: q.status });
    }
    this._put(q);
    this._changed({ type: 'change', id: q.id, change: msg.change, from: msg.from, actor: msg.actor });
  }

  // Questions from HTTP (a decision's answer, a 409's `current`). Counts are not touched: the
  // stream reports every change. A question whose state left the view's states leaves the list
  // at once (the stream's removal follows); other filters cannot change by a decision.
  upsert(questions) {
    let any = false;
    for (const q of questions) {
      if (!this._put(q)) continue;
      any = true;
      const v = this.view;
      const at = v.items.findIndex((x) => x.id === q.id);
      if (at < 0) continue;
      if (v.statuses && !v.statuses.includes(q.status)) v.items.splice(at, 1);
      else v.items[at] = q;
    }
    if (any) this._changed({ type: 'upsert' });
  }

  _put(q) {
    const old = this.questions.get(q.id);
    if (old && old.version > q.version) return false;
    this.questions.set(q.id, q);
    const c = clusterOf(q);
    if (c && c.size > (this.clusterSizes.get(c.id) || 0)) this.clusterSizes.set(c.id, c.size);
    this._noteGroup(q);
    return true;
  }

  // Remembers q's group's members in review and heat as q reports them.
  _noteGroup(q) {
    const c = clusterOf(q);
    if (c && Number.isFinite(c.in_review)) this.groups.set(c.id, groupOfQuestion(q));
  }

  // q's group as sort=impact orders it now.
  groupOf(q) {
    const c = clusterOf(q);
    return (c && this.groups.get(c.id)) || groupOfQuestion(q);
  }

  _comparator() {
    return comparator(this.view.sort, (q) => this.groupOf(q));
  }

  // A new question joined its group: the group is one larger than we knew (or as large as the
  // server says, when that is more).
  _grewCluster(q) {
    const c = clusterOf(q);
    if (!c) return;
    const known = this.clusterSizes.get(c.id);
    this.clusterSizes.set(c.id, known == null ? c.size : Math.max(c.size, known + 1));
  }

  // The size of q's near-duplicate group as currently known (1: no duplicates).
  clusterSize(q) {
    const c = clusterOf(q);
    if (!c) return 1;
    return Math.max(c.size, this.clusterSizes.get(c.id) || 0);
  }

  _removeFromView(id) {
    const items = this.view.items;
    const at = items.findIndex((x) => x.id === id);
    if (at >= 0) items.splice(at, 1);
  }

  // Puts q at its place in the loaded part of the view. A question that sorts after everything
  // loaded while more pages remain is left for the page that will bring it.
  _placeInView(q) {
    const v = this.view;
    const cmp = this._comparator();
    const at = v.items.findIndex((x) => x.id === q.id);
    if (at >= 0) v.items.splice(at, 1);
    const last = v.items[v.items.length - 1];
    if (!v.complete && last && cmp(q, last) > 0) return;
    v.items.splice(this._insertionPoint(q, cmp), 0, q);
  }

  // Binary search over the loaded items (kept in order).
  _insertionPoint(q, cmp) {
    const items = this.view.items;
    let lo = 0;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cmp(items[mid], q) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  _bump(status, d) {
    if (!status) return;
    this.counts[status] = Math.max(0, (this.counts[status] || 0) + d);
  }

  count(statuses) {
    let n = 0;
    for (const s of statuses || STATUSES) n += this.counts[s] || 0;
    return n;
  }

  // The loaded items of the current view, in its order.
  viewItems() {
    return this.view.items;
  }

  // The known questions whose status is in `statuses` (null: all), newest (highest id) first.
  // Cached until the next change.
  list(statuses) {
    const key = statuses ? statuses.join(',') : '*';
    const hit = this._lists.get(key);
    if (hit && hit.rev === this.rev) return hit.items;
    const set = statuses ? new Set(statuses) : null;
    const items = [];
    for (const q of this.questions.values()) if (!set || set.has(q.status)) items.push(q);
    items.sort((a, b) => b.id - a.id);
    this._lists.set(key, { rev: this.rev, items });
    return items;
  }
}
