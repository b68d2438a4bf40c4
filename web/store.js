// store: the client's copy of one event's questions and counts.
//
// Questions are kept by id; a question is replaced only by one with the same or a higher
// `version` (the stream, HTTP answers and page loads can deliver the same question in any order).
// Counts per status come from the snapshot and are then moved by each stream change, which the
// connection delivers exactly once and in seq order. Listeners are called after every change.

export const STATUSES = ['pending', 'held', 'approved', 'rejected', 'auto_rejected', 'answered'];

export const ATTRIBUTES = [
  'toxicity',
  'severe_toxicity',
  'insult',
  'profanity',
  'threat',
  'identity_attack',
];

function emptyCounts() {
  return Object.fromEntries(STATUSES.map((s) => [s, 0]));
}

export class Store {
  constructor() {
    this.questions = new Map(); // id -> question
    this.counts = emptyCounts();
    this.lastActor = new Map(); // id -> {actor, at, to} of the last change seen on the stream
    this.rev = 0; // bumped on every change; list caches key on it
    this.listeners = new Set();
    this._lists = new Map(); // key -> {rev, items}
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

  // A fresh snapshot replaces everything: questions we hold that are not in it may have changed
  // while we were away, so they are dropped (views reload their pages).
  applySnapshot(msg) {
    this.questions.clear();
    this.lastActor.clear();
    this.counts = { ...emptyCounts(), ...(msg.counts || {}) };
    for (const q of msg.items || []) this._put(q);
    this._changed({ type: 'snapshot' });
  }

  // One `question` stream message: {seq, change, from, question, actor}.
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

  // Questions from HTTP (a page of a list, a decision's answer, a 409's `current`).
  // Counts are not touched: the stream reports every change and moves them.
  upsert(questions) {
    let any = false;
    for (const q of questions) any = this._put(q) || any;
    if (any) this._changed({ type: 'upsert' });
  }

  _put(q) {
    const old = this.questions.get(q.id);
    if (old && old.version > q.version) return false;
    this.questions.set(q.id, q);
    return true;
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
