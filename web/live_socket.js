// live_socket: a WebSocket that keeps itself connected — the transport every live page shares
// (the moderators' dashboard, the executives' page, the room's display, the audience's page).
//
// A subclass says where to connect (url()), what to send once open (_opened(ws)) and what a
// message means (_handle(msg)); this class does the rest: it reconnects after any drop with
// exponential back-off and jitter (capped at MAX_DELAY_MS), abandons an attempt that has not
// opened within OPEN_TIMEOUT_MS, pings every PING_EVERY_MS so idle proxies keep the socket,
// reconnects at once when the browser comes back online or the tab becomes visible while
// waiting, and reports its state through onState({state, attempt, retryAt, error}) with state
// "connecting" | "live" | "waiting" | "closed". A subclass calls _live() when its data is
// current (e.g. once a snapshot is applied) and _drop(reason, immediate) to reconnect.
//
// A network drop that nobody closes (a cable pulled, a Wi-Fi change, a NAT forgetting the
// connection) leaves a socket that looks open and hears nothing. A subclass whose server
// answers every ping (the display stream) sets silenceLimitMs (and a shorter pingEveryMs):
// a socket that has heard nothing for that long is dropped and reconnected.

const BASE_DELAY_MS = 300;
const MAX_DELAY_MS = 5000;
const PING_EVERY_MS = 25000;
const OPEN_TIMEOUT_MS = 10000;

export class LiveSocket {
  constructor(onState = () => {}) {
    this.onState = onState;
    this.attempt = 0;
    this.ws = null;
    this.timer = null;
    this.pingTimer = null;
    this.openTimer = null;
    this.stopped = false;
    this.state = 'closed';
    this.pingEveryMs = PING_EVERY_MS;
    this.silenceLimitMs = 0; // 0: the server does not answer pings; never dropped for silence
    this.heardAt = 0; // when the socket last received anything
    this._onOnline = () => this.reconnectNow();
    this._onVisible = () => {
      if (document.visibilityState === 'visible' && this.state === 'waiting') this.reconnectNow();
    };
  }

  // ---- for subclasses ----------------------------------------------------------------------

  // The ws:// or wss:// URL of the next attempt.
  url() {
    throw new Error('LiveSocket.url() not implemented');
  }

  // The socket opened: send what the protocol needs.
  _opened(_ws) {}

  // One parsed JSON message.
  _handle(_msg) {}

  // A ws:// URL on this server for `path`.
  static wsUrl(path) {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${proto}//${location.host}${path}`;
  }

  _live() {
    if (this.state !== 'live') this._setState('live');
  }

  // ---- lifecycle ---------------------------------------------------------------------------

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
      this.heardAt = Date.now();
      this.pingTimer = setInterval(() => {
        if (this.ws !== ws) return;
        if (this.silenceLimitMs && Date.now() - this.heardAt > this.silenceLimitMs) {
          this._drop('no answer from the server');
          return;
        }
        if (ws.readyState === WebSocket.OPEN) ws.send('{"type":"ping"}');
      }, this.pingEveryMs);
      this.attempt = 0;
      this._opened(ws);
    };
    ws.onmessage = (ev) => {
      if (this.ws !== ws) return;
      this.heardAt = Date.now();
      let msg;
      try {
        msg = JSON.parse(ev.data);
      } catch {
        return; // not ours to interpret; the protocols only send JSON
      }
      if (!msg || typeof msg !== 'object' || Array.isArray(msg)) return;
      this._handle(msg);
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this._drop(ev.reason || (ev.code === 1006 ? 'connection lost' : `closed (${ev.code})`));
    };
    // onerror is always followed by onclose; nothing to do here.
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
