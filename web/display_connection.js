// display_connection: the room display's live stream (docs/api.md "The room's display",
// GET /api/v1/events/{slug}/display/stream): every message is the whole display, so there is
// nothing to resume — after a drop or a server restart it reconnects with back-off
// (live_socket.js) and the first message shows the display as it is then. The server answers
// each ping with {"type":"pong"}, so the page pings every PING_EVERY_MS and a connection that
// has heard nothing for SILENCE_LIMIT_MS (a network drop nobody closed) is reconnected.
//
// onDisplay(msg) for each {"type":"display", ...} of this event; onState as LiveSocket.

import { LiveSocket } from './live_socket.js';

const PING_EVERY_MS = 4000;
const SILENCE_LIMIT_MS = 10000;

export class DisplayConnection extends LiveSocket {
  constructor(slug, { onDisplay, onState }) {
    super(onState);
    this.slug = slug;
    this.onDisplay = onDisplay;
    this.seq = null;
    this.pingEveryMs = PING_EVERY_MS;
    this.silenceLimitMs = SILENCE_LIMIT_MS;
  }

  url() {
    return LiveSocket.wsUrl(`/api/v1/events/${encodeURIComponent(this.slug)}/display/stream`);
  }

  _handle(msg) {
    if (msg.type !== 'display' || msg.event !== this.slug) return;
    this.seq = msg.seq;
    this.onDisplay(msg);
    this._live();
  }
}
