// event_settings: the event's settings panel on the moderators' dashboard, for admins only
// (docs/api.md "Event settings"): one switch per setting — the audience's page on or off,
// questions closed (votes stay open), a name required to ask, the room's display readable
// without a token (a public link), executives allowed to see the classifier's scores, the
// display anonymous — and the links to the audience's page, the room's display and the
// executives' page, to copy and send; "New display token" makes a `display` token of the event
// (it reads the display and nothing else) and shows it once, with the sign-in link for the
// room's screen.
//
// Live: a switch applies as soon as it is flipped (PUT .../settings with that one member; the
// server closes the executives' and displays' streams, which reconnect under the new
// settings); the panel shows what the server answered, and reads the settings again when it
// opens, when the page becomes visible and every `refreshMs` while it is open, so another
// admin's change shows too. A failed change puts the switch back and says why.
//
// Usage: mountEventSettings(detailsElement, slug) once; then show(me) with the session
// (GET /api/v1/session): the panel appears only for an admin token. The element's
// data-state is "loading" | "ready" | "saving" | "error" (tests wait on it).

import { createToken, getSettings, putSettings } from './api.js';
import { h } from './views.js';

// In the panel's order, with what each does (the words of docs/api.md).
export const SETTINGS = [
  { name: 'audience_off', title: 'Audience page off', help: 'The audience page and its API answer that the event takes no questions or votes.' },
  { name: 'questions_closed', title: 'Questions closed', help: 'The audience can no longer ask; browsing and votes stay open.' },
  { name: 'name_required', title: 'Name required', help: 'The audience must give a name to ask.' },
  { name: 'display_public', title: 'Public display link', help: 'The room’s display is readable without a token, by anyone with its link.' },
  { name: 'anonymous', title: 'Anonymous display', help: 'The room’s display never shows who asked.' },
  { name: 'executives_see_scores', title: 'Executives see scores', help: 'Executives see the classifier’s scores, verdict and “is it a question?” probability.' },
];

export function mountEventSettings(details, slug, { refreshMs = 15000 } = {}) {
  const message = h('p', { class: 'settings-message', role: 'status' });
  const switches = new Map(); // name -> checkbox
  const rows = SETTINGS.map((s) => {
    const box = h('input', { type: 'checkbox', name: s.name, id: `setting-${s.name}`, disabled: true });
    switches.set(s.name, box);
    return h('li', { class: 'setting', dataset: { setting: s.name } },
      h('label', { for: `setting-${s.name}` }, box, h('span', { class: 'setting-title' }, s.title)),
      h('p', { class: 'setting-help muted' }, s.help));
  });
  const origin = location.origin;
  const link = (kind, path, note) =>
    h('li', { dataset: { link: kind } },
      h('span', { class: 'settings-link-label' }, kind), ' ',
      h('a', { href: path, target: '_blank', rel: 'noopener' }, origin + path),
      note ? h('span', { class: 'settings-link-note muted' }, ' ', note) : null);
  const enc = encodeURIComponent(slug);
  const displayNote = h('span', { class: 'muted' });
  const links = h('ul', { class: 'settings-links' },
    link('Audience', `/e/${enc}`),
    link('Display', `/display/${enc}`, displayNote),
    link('Executives', `/executive?event=${enc}`));
  const makeToken = h('button', { type: 'button', class: 'btn btn-small', id: 'settings-display-token' }, 'New display token');
  const tokenBox = h('p', { class: 'settings-token', role: 'status' });
  details.appendChild(h('div', { class: 'settings-body' },
    h('ul', { class: 'settings-list' }, rows), message, h('h3', { class: 'settings-h' }, 'Links'), links,
    h('div', { class: 'settings-token-row' }, makeToken, tokenBox)));

  // A display token for the room's screen, shown once.
  makeToken.addEventListener('click', async () => {
    makeToken.disabled = true;
    try {
      const name = `display ${slug} ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`;
      const t = await createToken({ name, role: 'display', event: slug });
      const signIn = `/login?next=${encodeURIComponent(`/display/${slug}`)}`;
      tokenBox.replaceChildren(
        'On the room’s screen open ', h('a', { href: signIn, target: '_blank', rel: 'noopener' }, origin + signIn),
        ' and sign in with ', h('code', { class: 'settings-token-value' }, t.token),
        ' (shown only now; it reads this event’s display and nothing else).');
    } catch (e) {
      tokenBox.textContent = `No token made: ${e.message} (${e.code})`;
    } finally {
      makeToken.disabled = false;
    }
  });

  let current = null; // the settings as the server last answered
  let pending = 0; // changes in flight
  let timer = null;

  function setState(state, text = '') {
    details.dataset.state = state;
    message.textContent = text;
    message.dataset.kind = state === 'error' ? 'error' : 'info';
  }

  function show(settings) {
    current = settings;
    for (const [name, box] of switches) {
      box.checked = Boolean(settings[name]);
      box.disabled = false;
    }
    displayNote.textContent = settings.display_public
      ? '(public: anyone with the link)'
      : '(needs a display token: sign in with it at /login)';
    details.classList.toggle('settings-audience-off', Boolean(settings.audience_off));
  }

  async function refresh() {
    if (!details.open || pending) return;
    if (!current) setState('loading', 'Loading…');
    try {
      const settings = await getSettings(slug);
      if (pending) return; // a change answered meanwhile is newer
      show(settings);
      setState('ready');
    } catch (e) {
      setState('error', `The settings could not be read: ${e.message} (${e.code})`);
    }
  }

  async function change(box) {
    const name = box.name;
    const value = box.checked;
    pending += 1;
    box.disabled = true;
    setState('saving', 'Saving…');
    try {
      const settings = await putSettings(slug, { [name]: value });
      pending -= 1;
      show(settings);
      setState('ready', `${SETTINGS.find((s) => s.name === name).title}: ${value ? 'on' : 'off'}.`);
    } catch (e) {
      pending -= 1;
      box.checked = current ? Boolean(current[name]) : !value;
      box.disabled = false;
      setState('error', `Not changed: ${e.message} (${e.code})`);
    }
  }

  details.addEventListener('change', (e) => {
    if (e.target instanceof HTMLInputElement && switches.get(e.target.name) === e.target) change(e.target);
  });
  details.addEventListener('toggle', () => {
    clearInterval(timer);
    timer = null;
    if (!details.open) return;
    refresh();
    timer = setInterval(() => document.visibilityState === 'visible' && refresh(), refreshMs);
  });
  document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && refresh());

  return {
    // Shows the panel when `me` (the session) is an admin's; hides it otherwise.
    show(me) {
      details.hidden = !(me && me.role === 'admin');
    },
    refresh,
  };
}
