// sources: the event's social-network sources on the dashboard, for admins (issue 16,
// docs/api.md "Sources"): each Mastodon or Bluesky hashtag with its bridge's status
// (connected or not, over what, the last post, posts per minute, errors and the last one),
// Pause / Resume / Remove, and a form to add one. User-supplied values are set as text.
//
// Usage: mountSources(detailsElement, slug). The list loads when the <details> opens and
// refreshes every `refreshMs` while it is open and the page visible. After each drawing the
// element's data-draws counts up (tests wait on it).

import { apiRequest } from './api.js';
import { h, relativeTime } from './views.js';

const enc = encodeURIComponent;
const base = (slug) => `/events/${enc(slug)}/sources`;

const STATE_LABELS = {
  idle: 'Paused', connecting: 'Connecting…', connected: 'Connected', backing_off: 'Failing, retrying',
};

function statusLine(s) {
  const st = s.status || {};
  const parts = [s.paused ? 'Paused' : STATE_LABELS[st.state] || st.state];
  if (st.transport) parts.push(`via ${st.transport}`);
  parts.push(st.last_post_at ? `last post ${relativeTime(st.last_post_at)}` : 'no post yet');
  parts.push(`${st.posts_per_minute || 0}/min`);
  if (st.errors) parts.push(`${st.errors} error${st.errors === 1 ? '' : 's'}`);
  if (st.skipped) parts.push(`${st.skipped} skipped`);
  return parts.join(' · ');
}

function row(slug, s, refresh, report) {
  const where = s.kind === 'mastodon' ? s.instance : s.jetstream;
  const act = (label) =>
    h('button', { type: 'button', class: 'btn btn-small', dataset: { act: label.toLowerCase() } }, label);
  const toggle = s.paused ? act('Resume') : act('Pause');
  const remove = act('Remove');
  toggle.addEventListener('click', () =>
    apiRequest('POST', `${base(slug)}/${s.id}/${s.paused ? 'resume' : 'pause'}`).then(refresh, report));
  remove.addEventListener('click', () => {
    if (!window.confirm(`Remove #${s.tag} from ${where}? Its questions stay.`)) return;
    apiRequest('DELETE', `${base(slug)}/${s.id}`).then(refresh, report);
  });
  const st = s.status || {};
  return h('li', { class: `source-row state-${s.paused ? 'paused' : st.state}`, dataset: { id: String(s.id) } },
    h('span', { class: 'source-kind' }, s.kind === 'mastodon' ? 'Mastodon' : 'Bluesky'),
    h('span', { class: 'source-tag' }, `#${s.tag}`),
    h('span', { class: 'source-where muted' }, where),
    h('span', { class: 'source-status' }, statusLine(s)),
    st.last_error ? h('span', { class: 'source-error muted', title: st.last_error_at || '' }, st.last_error) : null,
    h('span', { class: 'source-actions' }, toggle, remove));
}

function addForm(slug, refresh, report) {
  const kind = h('select', { name: 'kind', 'aria-label': 'Network' },
    h('option', { value: 'mastodon' }, 'Mastodon'), h('option', { value: 'bluesky' }, 'Bluesky'));
  const where = h('input', { name: 'where', type: 'url', placeholder: 'https://mastodon.social', 'aria-label': 'Instance' });
  const tag = h('input', { name: 'tag', type: 'text', placeholder: '#hashtag', required: true, 'aria-label': 'Hashtag' });
  const token = h('input', { name: 'token', type: 'password', placeholder: 'access token (optional)', autocomplete: 'off', 'aria-label': 'Access token' });
  const form = h('form', { class: 'source-add' }, kind, where, tag, token,
    h('button', { type: 'submit', class: 'btn btn-small' }, 'Add source'));
  kind.addEventListener('change', () => {
    const bsky = kind.value === 'bluesky';
    where.placeholder = bsky ? 'Jetstream (default: Bluesky\'s public one)' : 'https://mastodon.social';
    where.setAttribute('aria-label', bsky ? 'Jetstream' : 'Instance');
    token.hidden = bsky;
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = { kind: kind.value, tag: tag.value.trim() };
    const w = where.value.trim();
    if (kind.value === 'mastodon') {
      body.instance = w;
      if (token.value) body.access_token = token.value;
    } else if (w) {
      body.jetstream = w;
    }
    apiRequest('POST', base(slug), body).then(() => {
      tag.value = '';
      token.value = '';
      refresh();
    }, report);
  });
  return form;
}

export function mountSources(details, slug, { refreshMs = 5000 } = {}) {
  const list = h('ul', { class: 'source-list' });
  const note = h('p', { class: 'source-note muted', role: 'status' });
  let draws = 0;
  let timer = null;
  const report = (e) => { note.textContent = `${e.message} (${e.code})`; };
  const refresh = () =>
    apiRequest('GET', base(slug)).then((r) => {
      list.replaceChildren(...r.items.map((s) => row(slug, s, refresh, report)));
      if (!r.items.length) list.appendChild(h('li', { class: 'muted' }, 'No sources: add a Mastodon or Bluesky hashtag below.'));
      note.textContent = '';
      details.dataset.draws = String(++draws);
    }, report);
  details.append(list, addForm(slug, refresh, report), note);
  const tick = () => {
    clearTimeout(timer);
    if (!details.open) return;
    if (document.visibilityState === 'visible') refresh();
    timer = setTimeout(tick, refreshMs);
  };
  details.addEventListener('toggle', tick);
  return { refresh };
}
