// executive_shortlist: the shortlist half of the executives' page — the shortlist as the server
// last gave it (a stream message or an answer), the executives' actions on it (star, reorder,
// answering now, answered, note), and dragging an entry by its handle (pointer events: mouse,
// pen and touch). executive.js renders it and routes keys and clicks here.
//
// A reorder shows at once and the server confirms it; a refused one (409 shortlist_changed:
// someone changed it meanwhile) reloads the shortlist. While reorders are in flight, shortlists
// the stream sends are held, not shown: they are older than the order on screen (a second J/K
// pressed before the first's answer would otherwise move an entry within a stale order). The
// last reorder's answer is shown when it comes; if the stream sent anything meanwhile (it may
// be another executive's later change), the shortlist is read again. Notes being written are
// kept as drafts until saved, whatever arrives.

import * as api from './api.js';

const PUBLIC = ['approved', 'answered'];

export class Shortlist {
  // changed(): something to show changed. answered(id): a question was marked answered.
  constructor({ slug, toast, changed, answered = () => {} }) {
    this.slug = slug;
    this.toast = toast;
    this.changed = changed;
    this.answered = answered;
    this.entries = []; // in the executives' order
    this.busy = new Set(); // question ids with a request in flight
    this.drafts = new Map(); // question id -> note being written
    this.drag = null; // {id, order, start, pointerId} while an entry is dragged
    this.reorders = 0; // reorder requests in flight
    this.held = null; // the newest shortlist the stream sent while reorders were in flight
    this._onMove = (e) => this._dragMove(e);
    this._onUp = (e) => this._dragEnd(e);
    this._onCancel = () => this._dragCancel();
  }

  // ---- state -------------------------------------------------------------------------------

  set(items) {
    this.entries = (items || []).filter((e) => e && e.question && PUBLIC.includes(e.question.status));
    // Notes saved elsewhere replace a draft that had not changed.
    for (const e of this.entries) if (this.drafts.get(e.question.id) === (e.note ?? '')) this.drafts.delete(e.question.id);
    this.changed();
  }

  // A shortlist from the stream or a read: shown, or held while this page's reorders are in flight.
  fromStream(items) {
    if (this.reorders > 0) this.held = items;
    else this.set(items);
  }

  async reload() {
    try {
      this.fromStream((await api.getShortlist(this.slug)).items);
    } catch (e) {
      this.toast(`Could not read the shortlist: ${e.message} (${e.code})`, 'error');
    }
  }

  entryOf(id) {
    return this.entries.find((e) => e.question.id === id) || null;
  }

  has(id) {
    return this.entryOf(id) != null;
  }

  // The ids in the order shown (a drag's order while dragging).
  ids() {
    return (this.drag ? this.drag.order : this.entries.map((e) => e.question.id)).slice();
  }

  // The entries in the order shown.
  shown() {
    if (!this.drag) return this.entries;
    const byId = new Map(this.entries.map((e) => [e.question.id, e]));
    return this.drag.order.map((id) => byId.get(id)).filter(Boolean);
  }

  // A newer version of a question (votes, answered) replaces the one an entry shows.
  patch(q) {
    for (const e of this.entries)
      if (e.question.id === q.id && q.version >= e.question.version) e.question = { ...e.question, ...q };
  }

  // A question a moderator took back leaves the shortlist shown at once.
  drop(id) {
    this.set(this.entries.filter((e) => e.question.id !== id));
  }

  _replace(entry) {
    const at = this.entries.findIndex((e) => e.question.id === entry.question.id);
    if (at >= 0) this.entries[at] = entry;
  }

  // Runs `fn` for question `id` with the id marked busy; errors become a toast.
  async _act(id, what, fn) {
    if (this.busy.has(id)) return null;
    this.busy.add(id);
    this.changed();
    try {
      return await fn();
    } catch (e) {
      this.toast(`Could not ${what} #${id}: ${e.message} (${e.code})`, e.code === 'shortlist_changed' ? 'warn' : 'error');
      if (e.status === 409 || e.status === 404) await this.reload();
      return null;
    } finally {
      this.busy.delete(id);
      this.changed();
    }
  }

  // ---- actions -----------------------------------------------------------------------------

  async toggleStar(id) {
    if (id == null) return;
    if (this.has(id)) {
      const done = await this._act(id, 'remove', () => api.removeFromShortlist(this.slug, id));
      if (done) this.drop(id);
    } else {
      const added = await this._act(id, 'shortlist', () => api.addToShortlist(this.slug, id));
      if (added && !this.has(id)) this.set([...this.entries, added]);
    }
  }

  async reorder(ids) {
    const byId = new Map(this.entries.map((e) => [e.question.id, e]));
    this.set(ids.map((id) => byId.get(id)).filter(Boolean)); // at once; the server confirms
    this.reorders++;
    let answer = null;
    let failed = null;
    try {
      answer = (await api.reorderShortlist(this.slug, ids)).items;
    } catch (e) {
      failed = e;
    }
    if (--this.reorders > 0) return; // a later reorder's answer is newer than this one
    const streamed = this.held != null;
    this.held = null;
    if (failed) this.toast(`Could not reorder: ${failed.message} (${failed.code})`, failed.code === 'shortlist_changed' ? 'warn' : 'error');
    else this.set(answer);
    if (failed || streamed) await this.reload();
  }

  move(id, delta) {
    const ids = this.ids();
    const from = ids.indexOf(id);
    const to = from + delta;
    if (from < 0 || to < 0 || to >= ids.length) return;
    ids.splice(to, 0, ids.splice(from, 1)[0]);
    this.reorder(ids);
  }

  async toggleNow(id) {
    const e = this.entryOf(id);
    if (!e) return;
    const on = !e.answering_now;
    const updated = await this._act(id, on ? 'set answering now' : 'stop answering', () =>
      api.editShortlist(this.slug, id, { answering_now: on }),
    );
    if (!updated) return;
    if (on) for (const other of this.entries) other.answering_now = false; // one at a time
    this._replace(updated);
    this.changed();
  }

  async markAnswered(id) {
    if (!this.has(id)) return;
    const updated = await this._act(id, 'mark answered', () => api.editShortlist(this.slug, id, { answered: true }));
    if (!updated) return;
    this._replace(updated);
    this.answered(id);
  }

  // The note being written (input events), shown as not saved.
  draft(id, text) {
    this.drafts.set(id, text);
  }

  async saveNote(id) {
    const draft = this.drafts.get(id);
    if (draft == null || !this.has(id)) return;
    const updated = await this._act(id, 'save the note of', () => api.editShortlist(this.slug, id, { note: draft }));
    if (!updated) return;
    if (this.drafts.get(id) === draft) this.drafts.delete(id);
    this._replace(updated);
  }

  // ---- dragging ----------------------------------------------------------------------------

  // pointerdown on the list: starts a drag on a handle; returns the entry's id, else null.
  dragStart(e) {
    const handle = e.target.closest('.drag-handle');
    if (!handle || e.button > 0) return null;
    e.preventDefault();
    const id = Number(handle.closest('.x-entry').dataset.id);
    const order = this.ids();
    this.drag = { id, order, start: order.join(','), pointerId: e.pointerId };
    window.addEventListener('pointermove', this._onMove);
    window.addEventListener('pointerup', this._onUp);
    window.addEventListener('pointercancel', this._onCancel);
    this.changed();
    return id;
  }

  // The entry goes where the pointer is among the others (above the middle of one: before it).
  _dragMove(e) {
    if (!this.drag || e.pointerId !== this.drag.pointerId) return;
    const others = [...document.querySelectorAll('#x-shortlist .x-entry')].filter(
      (el) => Number(el.dataset.id) !== this.drag.id,
    );
    let at = others.findIndex((el) => {
      const r = el.getBoundingClientRect();
      return e.clientY < r.top + r.height / 2;
    });
    if (at < 0) at = others.length;
    const order = others.map((el) => Number(el.dataset.id));
    order.splice(at, 0, this.drag.id);
    if (order.join(',') === this.drag.order.join(',')) return;
    this.drag.order = order;
    this.changed();
  }

  _endDrag() {
    window.removeEventListener('pointermove', this._onMove);
    window.removeEventListener('pointerup', this._onUp);
    window.removeEventListener('pointercancel', this._onCancel);
    const d = this.drag;
    this.drag = null;
    return d;
  }

  _dragEnd(e) {
    if (!this.drag || e.pointerId !== this.drag.pointerId) return;
    const d = this._endDrag();
    if (d.order.join(',') !== d.start) this.reorder(d.order);
    else this.changed();
  }

  _dragCancel() {
    this._endDrag();
    this.changed();
  }
}
