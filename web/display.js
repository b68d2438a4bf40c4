// display: the room's display (/display/SLUG): the question being answered now in large type,
// who asked it (nobody's name when the event is anonymous), how many asked the same, and the
// next few on the shortlist. Meant for a projector or a video stream: no controls; F or a
// double-click toggles full screen (browsers allow it only on a person's gesture; a kiosk
// browser, e.g. chromium --kiosk URL, starts in it). It updates live and keeps itself
// connected (display_connection.js): after a network drop (also one nobody closed) or a
// server restart it reconnects by itself and shows the display as it is then.
//
// URL parameters: ?next=N shows the next N questions (0 to 5, default 3; 0 hides them),
// ?theme=light for a light screen (dark by default).
//
// Access: a display token (sign in at /login with it), or none when an admin made the event's
// display public. Text from users enters the DOM as text only.

import { DisplayConnection } from './display_connection.js';

const $ = (sel) => document.querySelector(sel);

const slug = decodeURIComponent(location.pathname.split('/')[2] || '');
const params = new URLSearchParams(location.search);
const nextCount = Math.min(5, Math.max(0, Number.parseInt(params.get('next') ?? '3', 10) || 0));
// A connection still failing after this many attempts is asked why, by HTTP.
const PROBE_AFTER_ATTEMPTS = 3;

if (params.get('theme') === 'light') document.body.classList.add('light');

function lengthClass(text) {
  const n = Array.from(text || '').length;
  if (n <= 90) return 'd-len-s';
  if (n <= 200) return 'd-len-m';
  if (n <= 400) return 'd-len-l';
  return 'd-len-xl';
}

function askedLine(item, anonymous) {
  const n = item.asked || 1;
  if (anonymous || !item.author) return n > 1 ? `${n} people asked this` : '';
  return n > 1 ? ` and ${n - 1} ${n - 1 === 1 ? 'other' : 'others'} asked this` : ' asked this';
}

function render(msg) {
  $('#d-event').textContent = msg.title || msg.event;
  document.title = `${msg.title || msg.event} · Tribune`;
  const now = msg.now;
  $('#d-now').hidden = !now;
  $('#d-idle').hidden = !!now;
  if (now) {
    const text = $('#d-text');
    text.textContent = now.text;
    text.className = `d-text ${lengthClass(now.text)}`;
    text.dataset.id = String(now.id);
    const named = !msg.anonymous && now.author;
    $('#d-asker').textContent = named ? `${now.author}` : '';
    $('#d-asker').hidden = !named;
    $('#d-asked').textContent = askedLine(now, msg.anonymous);
  } else {
    $('#d-idle-text').textContent = msg.next && msg.next.length ? 'Coming up next' : 'Questions will appear here.';
  }
  const next = (msg.next || []).slice(0, nextCount);
  $('#d-next').hidden = next.length === 0;
  const items = next.map((q) => {
    const li = document.createElement('li');
    li.className = 'd-next-item';
    li.dataset.id = String(q.id);
    const t = document.createElement('span');
    t.className = 'd-next-text';
    t.textContent = q.text;
    li.appendChild(t);
    if ((q.asked || 1) > 1) {
      const a = document.createElement('span');
      a.className = 'd-next-asked';
      a.textContent = `asked by ${q.asked}`;
      li.appendChild(a);
    }
    return li;
  });
  $('#d-next-list').replaceChildren(...items);
  document.body.classList.toggle('has-now', !!now);
}

function notice(text) {
  const el = $('#d-notice');
  el.textContent = text || '';
  el.hidden = !text;
}

function showState(st) {
  const box = $('#d-conn');
  box.dataset.state = st.state;
  const label = st.state === 'live' ? '' : st.state === 'waiting' ? 'Reconnecting…' : 'Connecting…';
  box.querySelector('.d-conn-label').textContent = label;
  box.title = st.error ? `${label} (${st.error})` : label || 'Live';
  if (st.state === 'live') notice('');
  if (st.state === 'waiting' && st.attempt >= PROBE_AFTER_ATTEMPTS) probe(false);
}

// Asks by HTTP why the display cannot be read. On the first load a missing sign-in goes to
// the sign-in page; later it is only said on the screen (the stream keeps retrying).
async function probe(first) {
  let res;
  try {
    res = await fetch(`/api/v1/events/${encodeURIComponent(slug)}/display?next=${nextCount}`, {
      headers: { Accept: 'application/json' },
    });
  } catch {
    notice('');
    return; // the server is unreachable: the stream retries
  }
  if (res.ok) {
    notice('');
    if (first) render(await res.json());
    return;
  }
  if (res.status === 401 && first) {
    location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
    return;
  }
  if (res.status === 401 || res.status === 403)
    notice('This display needs a display token: sign in at /login, or ask an admin to make it public.');
  else if (res.status === 404) notice(`There is no event "${slug}".`);
}

function toggleFullscreen() {
  if (document.fullscreenElement) document.exitFullscreen?.().catch(() => {});
  else document.documentElement.requestFullscreen?.().catch(() => {});
}
document.addEventListener('dblclick', toggleFullscreen);
document.addEventListener('keydown', (e) => {
  if ((e.key === 'f' || e.key === 'F') && !e.ctrlKey && !e.metaKey && !e.altKey) toggleFullscreen();
});

const conn = new DisplayConnection(slug, { onDisplay: render, onState: showState });

if (!slug) {
  notice('The address should be /display/EVENT.');
} else {
  $('#d-event').textContent = slug;
  probe(true);
  conn.start();
}
