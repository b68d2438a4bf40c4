// connection: the live stream of one event, as a WebSocket that reconnects by itself and resumes.
//
// It remembers the last `seq` applied and the server's `epoch`; a reconnect asks for
// `?since=seq&epoch=epoch` and so receives exactly the missed changes, or a fresh snapshot when the
// server cannot resume (restart, history too old). A gap in `seq` (a message lost) forces such a
// reconnect at once. Retries back off exponentially with full jitter, capped at MAX_DELAY_MS.
//
// Callbacks: onSnapshot(msg) for each snapshot (the caller replaces its state), onChange(msg) for
// each `question` message in seq order, onState({state, attempt, retryAt, error}) where state is
// "connecting" | "live" | "waiting" | "closed".

const BASE_DELAY_MS = 300;
const MAX_DELAY_MS = 5000;
const PING_EVERY_MS = 25000;
// A connection attempt that has not opened by then is abandoned and retried.
const OPEN_TIMEOUT_MS = 10000;

export class Connection {
  constructor(slug, { onSnapshot, onChange, onState }) {
    this.slug = slug;
    this.onSnapshot = onSnapshot;
    this.onChange = onChange;
    this.onState = onState;
    this.seq = null; // last seq applied, null before the first snapshot
    this.epoch = null;
    this.attempt = 0;
    this.ws = null;
    this.timer = null;
    this.pingTimer = null;
    this.openTimer = null;
    this.stopped = false;
    this.state = 'closed';
    this.lastGapAt = 0;
    this._onOnline = () => this.reconnectNow();
    this._onVisible = () => {
      if (document.visibilityState === 'visible' && this.state === 'waiting') this.reconnectNow();
    };
  }

  start() {
    this.stopped = false;
    window.addEventListener('online', this._onOnline);
    document.addEventListener('visibilitychange', this._onVisible);
    this._connect();
  }

  stop() {
    this.stopped = true;
    window.removeEventListener('online', this._onOnline);
    document.removeEventListener('visibilitychange', this._onVisible);
    clearTimeout(this.timer);
    this._closeSocket();
    this._setState('closed');
  }

  // Skip the remaining back-off (network came back, user clicked "retry").
  reconnectNow() {
    if (this.stopped || this.state === 'live' || this.state === 'connecting') return;
    clearTimeout(this.timer);
    this._connect();
  }

  url() {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    let u = `${proto}//${location.host}/api/v1/events/${encodeURIComponent(this.slug)}/stream`;
    if (this.seq != null && this.epoch != null) {
      u += `?since=${this.seq}&epoch=${encodeURIComponent(this.epoch)}`;
    }
    return u;
  }

  _setState(state, extra = {}) {
    this.state = state;
    this.onState({ state, attempt: this.attempt, ...extra });
  }

  _connect() {
    this._closeSocket();
    this._setState('connecting');
    let ws;
    try {
      ws = new WebSocket(this.url());
    } catch (e) {
      this._scheduleRetry(e.message);
      return;
    }
    this.ws = ws;
    this.openTimer = setTimeout(() => {
      if (this.ws === ws) this._drop('timed out');
    }, OPEN_TIMEOUT_MS);
    ws.onopen = () => {
      if (this.ws !== ws) return;
      clearTimeout(this.openTimer);
      this.pingTimer = setInterval(() => {
        if (ws.readyState === WebSocket.OPEN) ws.send('{"type":"ping"}');
      }, PING_EVERY_MS);
      this.attempt = 0;
      // A resume is live at once (it sends nothing until the next change); a fresh connection
      // is live when its snapshot has been applied.
      if (this.seq != null) this._setState('live');
    };
    ws.onmessage = (ev) => {
      if (this.ws !== ws) return;
      let msg;
      try {
        msg = JSON.parse(ev.data);
      } catch {
        return; // not ours to interpret; the protocol only sends JSON
      }
      this._handle(msg);
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this._drop(ev.reason || (ev.code === 1006 ? 'connection lost' : `closed (${ev.code})`));
    };
    // onerror is always followed by onclose; nothing to do here.
  }

  _handle(msg) {
    if (msg.type === 'snapshot') {
      this.epoch = msg.epoch;
      this.seq = msg.seq;
      this.onSnapshot(msg);
      if (this.state !== 'live') this._setState('live');
    } else if (msg.type === 'question') {
      if (this.seq == null) return; // changes before any snapshot cannot be placed
      if (msg.seq <= this.seq) return; // already applied
      if (msg.seq !== this.seq + 1) {
        // A message went missing: resume from what we have — at once, unless gaps keep
        // happening, in which case the normal back-off applies.
        const now = Date.now();
        const again = now - this.lastGapAt < 5000;
        this.lastGapAt = now;
        this._drop(`gap in stream (${this.seq} → ${msg.seq})`, !again);
        return;
      }
      this.seq = msg.seq;
      this.onChange(msg);
    }
    // Other types (future additions) are ignored.
  }

  _drop(reason, immediate = false) {
    this._closeSocket();
    if (this.stopped) return;
    if (immediate) {
      this._connect();
      return;
    }
    this._scheduleRetry(reason);
  }

  _scheduleRetry(reason) {
    const cap = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** this.attempt);
    // "Equal jitter": at least half the step, so a flapping server is not hammered.
    const delay = Math.round(cap / 2 + Math.random() * (cap / 2));
    this.attempt += 1;
    this._setState('waiting', { retryAt: Date.now() + delay, error: reason });
    this.timer = setTimeout(() => this._connect(), delay);
  }

  _closeSocket() {
    clearTimeout(this.openTimer);
    clearInterval(this.pingTimer);
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      try {
        ws.close();
      } catch {
        /* already closed */
      }
    }
  }
}
