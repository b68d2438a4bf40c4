// page_shell: what every signed-in page of Tribune shares around its own content — the event
// it is about (?event=SLUG), the header's connection indicator (with "Retry now"), who is
// signed in and "Sign out", and toasts. The markup it fills is the header of index.html and
// executive.html: #conn (.conn-label, .conn-retry), #identity (.who-name, .who-role,
// #sign-out), #event-title, #event-slug, #toasts.
//
// Usage: const shell = startShell(); shell.connection(liveSocket); shell.toast('...').

import * as api from './api.js';
import * as views from './views.js';

const $ = (sel) => document.querySelector(sel);

// Signs out and goes to the sign-in page, stopping `socket` (a LiveSocket) first; an error
// other than "already signed out" is a toast and keeps the page.
export async function signOut(toast, socket = null) {
  try {
    await api.signOut();
  } catch (e) {
    if (e.status !== 401) {
      toast(`Could not sign out: ${e.message} (${e.code})`, 'error');
      return;
    }
  }
  if (socket) socket.stop();
  location.assign('/login');
}

// The event slug of the page's URL (?event=SLUG), or `fallback`.
export function eventSlug(fallback = 'demo') {
  const s = (new URLSearchParams(location.search).get('event') || '').trim();
  return s || fallback;
}

export function startShell({ slug = eventSlug(), onEvent = () => {}, onMe = () => {} } = {}) {
  let socket = null;
  let conn = { state: 'connecting' };
  const toast = (text, kind = 'info', ms) => views.toast($('#toasts'), text, kind, ms);
  const showConn = () => views.renderConnection($('#conn'), conn);

  $('#event-slug').textContent = slug;
  $('#event-title').textContent = slug;
  $('#conn .conn-retry').addEventListener('click', () => socket && socket.reconnectNow());
  // While waiting to reconnect, keep the countdown moving.
  setInterval(() => {
    if (conn.state === 'waiting') showConn();
  }, 1000);

  $('#sign-out').addEventListener('click', () => signOut(toast, socket));

  api
    .getEvent(slug)
    .then((ev) => {
      $('#event-title').textContent = ev.title || ev.slug;
      onEvent(ev);
    })
    .catch((e) => toast(`Event "${slug}": ${e.message} (${e.code})`, 'error', 15000));

  api
    .getSession()
    .then((me) => {
      views.renderIdentity($('#identity'), me);
      onMe(me);
    })
    .catch((e) => {
      if (e.status !== 401) toast(`Who am I? ${e.message} (${e.code})`, 'error');
    });

  return {
    slug,
    toast,
    // The page's live socket: its state shows in the header; "Retry now" reconnects it.
    connection(s) {
      socket = s;
    },
    // Call from the socket's onState.
    setState(st) {
      conn = st;
      showConn();
    },
    get state() {
      return conn.state;
    },
  };
}
