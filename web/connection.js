// connection: the live stream of one view of an event, as a WebSocket that reconnects by itself
// and resumes (docs/api.md "Live stream", view protocol: `?mode=view`).
//
// After each (re)connect it sends {"type":"subscribe", id, view, limit} (with "activity": true
// when there is an onActivity callback); subscribe(view) sends a new one on the open socket (a
// tab switch, a new filter). The server answers with a snapshot of the view's first page, then
// frames of changes. Messages carry the subscription id they answer,
// so anything for an earlier subscription is ignored.
//
// It remembers the last `seq` applied and the server's `epoch`; a reconnect for the same view asks
// for `?since=seq&epoch=epoch` and so receives exactly the missed changes (in a frame), or a fresh
// snapshot when the server cannot resume (restart, history too old). A frame that does not
// continue from our seq (a message lost) forces such a reconnect at once. Retries back off
// exponentially with jitter (the transport is live_socket.js, shared by every live page).
//
// With `extra.ack` the subscribe asks for acks: each snapshot and frame is acknowledged
// ({"type":"ack","seq":N}) once its callback has applied it, and the server sends the next frame
// only then, with the view's newest state: a busy tab gets fewer frames, never a backlog.
//
// Callbacks: onSnapshot(msg) for each snapshot (the caller replaces its view), onFrame(msg) for
// each frame in seq order, onError(error) for a refused subscribe, onState({state, attempt,
// retryAt, error}) where state is "connecting" | "live" | "waiting" | "closed", and
// onActivity({moderators: [{name, role, connections}], arrivalsPerMinute}) for each `activity`
// message (who is watching the event, and how fast questions arrive; it answers no subscription,
// so it is taken whatever the view). Any other message type is ignored.

import { LiveSocket } from './live_socket.js';

export class Connection extends LiveSocket {
  // `extra`: more members of every subscribe message, e.g. {shortlist: true} for the
  // executives' shortlist in snapshots and frames.
  constructor(slug, { onSnapshot, onFrame, onError = () => {}, onState, onActivity = null, extra = {} }) {
    super(onState);
    this.slug = slug;
    this.onSnapshot = onSnapshot;
    this.onFrame = onFrame;
    this.onError = onError;
    this.onActivity = onActivity;
    this.wantsActivity = typeof onActivity === 'function'; // each subscribe asks for it again
    this.extra = extra;
    this.view = {}; // the view subscribed to: {status, sort, attribute, min_score, ...}
    this.limit = 50;
    this.subId = 0; // id of the current subscription
    this.resumable = false; // seq/epoch belong to the current view
    this.seq = null; // last seq applied, null before the first snapshot
    this.epoch = null;
    this.lastGapAt = 0;
  }

  // Subscribes to another view: its snapshot replaces the current one.
  subscribe(view, limit = this.limit) {
    this.view = view;
    this.limit = limit;
    this.subId += 1;
    this.seq = null;
    this.resumable = false;
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this._sendSubscribe(this.ws);
  }

  _sendSubscribe(ws) {
    const msg = { ...this.extra, type: 'subscribe', id: this.subId, view: this.view, limit: this.limit };
    if (this.wantsActivity) msg.activity = true;
    ws.send(JSON.stringify(msg));
  }

  _ack(seq) {
    if (!this.extra.ack || !this.ws || this.ws.readyState !== 1 /* WebSocket.OPEN */) return;
    this.ws.send(JSON.stringify({ type: 'ack', seq }));
  }

  url() {
    let u = LiveSocket.wsUrl(`/api/v1/events/${encodeURIComponent(this.slug)}/stream?mode=view`);
    if (this.resumable && this.seq != null && this.epoch != null) {
      u += `&since=${this.seq}&epoch=${encodeURIComponent(this.epoch)}`;
    }
    return u;
  }

  _connect() {
    this.resumable = this.resumable && this.seq != null;
    super._connect();
  }

  _opened(ws) {
    const resuming = this.resumable && this.seq != null;
    this._sendSubscribe(ws);
    // A resume is live at once (it sends nothing until the next change); a fresh connection
    // is live when its snapshot has been applied.
    if (resuming) this._live();
  }

  _handle(msg) {
    if (!msg || typeof msg !== 'object' || Array.isArray(msg)) return; // not a message of ours
    if (msg.type === 'error') {
      this.onError(msg.error || {});
      return;
    }
    if (msg.type === 'activity') {
      const activity = parseActivity(msg, this.slug);
      if (activity && this.onActivity) this.onActivity(activity);
      return;
    }
    if (msg.subscription !== this.subId) return; // answers an earlier subscription
    if (msg.type === 'snapshot') {
      this.epoch = msg.epoch;
      this.seq = msg.seq;
      this.resumable = true;
      this.onSnapshot(msg);
      this._ack(msg.seq);
      this._live();
    } else if (msg.type === 'frame') {
      if (this.seq == null) return; // frames before any snapshot cannot be placed
      if (msg.seq <= this.seq) return; // already applied
      if (msg.prev !== this.seq) {
        // A frame went missing: resume from what we have — at once, unless gaps keep
        // happening, in which case the normal back-off applies.
        const now = Date.now();
        const again = now - this.lastGapAt < 5000;
        this.lastGapAt = now;
        this._drop(`gap in stream (${this.seq} → ${msg.prev})`, !again);
        return;
      }
      this.seq = msg.seq;
      this.onFrame(msg);
      this._ack(msg.seq);
    }
    // Other types (future additions) are ignored.
  }
}

// Reads an `activity` message defensively: {moderators: [{name, role, connections}],
// arrivalsPerMinute: number | null}, or null when it is for another event or has neither part.
export function parseActivity(msg, slug = null) {
  if (slug != null && typeof msg.event === 'string' && msg.event !== slug) return null;
  const moderators = [];
  if (Array.isArray(msg.moderators)) {
    for (const m of msg.moderators) {
      if (!m || typeof m !== 'object' || typeof m.name !== 'string') continue;
      moderators.push({
        name: m.name,
        role: typeof m.role === 'string' ? m.role : null,
        connections: Number.isInteger(m.connections) && m.connections > 0 ? m.connections : 1,
      });
    }
  }
  const rate = msg.arrivals_per_minute;
  const arrivalsPerMinute = typeof rate === 'number' && Number.isFinite(rate) && rate >= 0 ? rate : null;
  if (!Array.isArray(msg.moderators) && arrivalsPerMinute == null) return null;
  return { moderators: Array.isArray(msg.moderators) ? moderators : null, arrivalsPerMinute };
}
