// api: thin fetch wrappers over the HTTP API in docs/api.md.
// Every failure is thrown as an ApiError carrying the server's {"error":{"code","message"}}
// (or code "network" / "bad_response" when the server could not be reached or did not answer JSON).

const BASE = '/api/v1';

export class ApiError extends Error {
  constructor(status, code, message, body = null, retryAfter = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status; // HTTP status, 0 when the request never got an answer
    this.code = code; // the server's error code, e.g. "version_conflict"
    this.body = body; // the parsed body, e.g. {error, current} for a 409
    this.retryAfter = retryAfter; // seconds, from Retry-After (429, 503), else null
  }
}

async function request(method, path, body) {
  const init = { method, headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(BASE + path, init);
  } catch (e) {
    throw new ApiError(0, 'network', `cannot reach the server (${e.message})`);
  }
  let data = null;
  const text = await res.text();
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      if (res.ok) throw new ApiError(res.status, 'bad_response', 'the server did not answer JSON');
    }
  }
  if (res.status === 401 && !path.startsWith('/public/')) {
    // Not signed in, or the session ended: sign in and come back here.
    location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
  }
  if (!res.ok) {
    const err = data && data.error;
    const retry = Number.parseInt(res.headers.get('Retry-After') || '', 10);
    throw new ApiError(
      res.status,
      (err && err.code) || `http_${res.status}`,
      (err && err.message) || `${res.status} ${res.statusText}`,
      data,
      Number.isFinite(retry) ? retry : null,
    );
  }
  return data;
}

// For modules with their own endpoints (sources.js): the same request, errors and sign-in.
export { request as apiRequest };

const enc = encodeURIComponent;

export function getEvent(slug) {
  return request('GET', `/events/${enc(slug)}`);
}

// What the event's correction learned from its moderators' decisions (docs/api.md "Learning").
export function getLearning(slug) {
  return request('GET', `/events/${enc(slug)}/learning`);
}

// One page of a view, with the members of a stream view (docs/api.md): status (array of state
// names), sort, attribute, min_score, max_score, lang, author, source, q, cluster (a near-duplicate
// group's id); `statuses` and `order`
// are the older names of status and sort. cursor: from a previous page (or a snapshot) or null.
export function listQuestions(slug, opts = {}) {
  const { limit = 100, cursor = null } = opts;
  const status = opts.status ?? opts.statuses;
  const q = new URLSearchParams();
  if (status && status.length) q.set('status', status.join(','));
  q.set('limit', String(limit));
  if (cursor) q.set('cursor', cursor);
  q.set('sort', opts.sort ?? opts.order ?? 'newest');
  for (const k of ['attribute', 'min_score', 'max_score', 'lang', 'author', 'source', 'q', 'cluster']) {
    if (opts[k] != null && opts[k] !== '') q.set(k, String(opts[k]));
  }
  return request('GET', `/events/${enc(slug)}/questions?${q}`);
}

export function getQuestion(id) {
  return request('GET', `/questions/${enc(id)}`);
}

export function listDecisions(id) {
  return request('GET', `/questions/${enc(id)}/decisions`);
}

// action: "approve" | "reject" | "hold". A stale expectedVersion throws ApiError
// with code "version_conflict" and body.current = the question as it is now. The server records
// the signed-in token's name as the actor; a moderator name is not sent.
export function decide(id, { action, expectedVersion, reason }) {
  const body = { action };
  if (expectedVersion != null) body.expected_version = expectedVersion;
  if (reason) body.reason = reason;
  return request('POST', `/questions/${enc(id)}/decision`, body);
}

// Undoes the caller's last decision on question `id` (within the server's undo window). A
// decision that is no longer the latest change, or too old, throws ApiError "undo_unavailable"
// with body.current.
export function undo(id) {
  return request('POST', `/questions/${enc(id)}/undo`, {});
}

// One bulk decision in one request: either `ids` (with `expectedVersions`, {id: version}) or a
// near-duplicate group: `cluster` (its id) with `from` (the states to act on). Answers
// {items: [{id, question} | {id, error: {code, message}}]}.
export function decideBulk(slug, { action, ids, expectedVersions, cluster, from, reason }) {
  const body = { action };
  if (cluster != null) {
    body.cluster = cluster;
    if (from && from.length) body.from = from;
  } else {
    body.ids = ids;
    if (expectedVersions) body.expected_versions = expectedVersions;
  }
  if (reason) body.reason = reason;
  return request('POST', `/events/${enc(slug)}/decisions`, body);
}

// Who is signed in: {name, role, event}.
export function getSession() {
  return request('GET', '/session');
}

export function signOut() {
  return request('DELETE', '/session');
}

// ---- event settings, the executives' ranking and shortlist, the room's display ------------

// {anonymous, executives_see_scores, display_public}.
export function getSettings(slug) {
  return request('GET', `/events/${enc(slug)}/settings`);
}

// Admins: the members given replace the current ones.
export function putSettings(slug, changes) {
  return request('PUT', `/events/${enc(slug)}/settings`, changes);
}

// The approved questions ranked by the documented score (docs/api.md "Ranking"). `opts`:
// w_votes, w_group, w_recency, half_life (minutes), lang, q, questions_only, answered, limit.
// A new access token (admin): {name, role, event?} -> {token, ...}; the token is shown only here.
export function createToken(t) {
  return request('POST', '/tokens', t);
}

export function getRanking(slug, opts = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(opts)) if (v != null && v !== '') q.set(k, String(v));
  return request('GET', `/events/${enc(slug)}/ranking?${q}`);
}

// {items: [{question, added_by, added_at, position, note, note_by, note_at, answering_now, answering_since}]}
export function getShortlist(slug) {
  return request('GET', `/events/${enc(slug)}/shortlist`);
}

export function addToShortlist(slug, questionId) {
  return request('POST', `/events/${enc(slug)}/shortlist`, { question_id: questionId });
}

export function removeFromShortlist(slug, questionId) {
  return request('DELETE', `/events/${enc(slug)}/shortlist/${enc(questionId)}`);
}

// `changes`: any of {note, answering_now, answered: true}.
export function editShortlist(slug, questionId, changes) {
  return request('PATCH', `/events/${enc(slug)}/shortlist/${enc(questionId)}`, changes);
}

// The whole order, every listed entry once; a shortlist that changed meanwhile answers 409
// shortlist_changed.
export function reorderShortlist(slug, ids) {
  return request('PUT', `/events/${enc(slug)}/shortlist`, { order: ids });
}

// ---- the audience (no token; docs/api.md "The audience") ------------------------------------

// {slug, title, questions_open, name_required}; 404 event_not_found, 403 audience_closed.
export function getPublicEvent(slug) {
  return request('GET', `/public/events/${enc(slug)}`);
}

// `q`: {text, author?, participant?} -> the question as the audience sees it (201).
export function askQuestion(slug, q) {
  return request('POST', `/public/events/${enc(slug)}/questions`, q);
}

// One page of approved and answered questions: sort votes|newest, cursor from next_cursor,
// search: words the questions contain.
export function getPublicQuestions(slug, { sort = 'votes', cursor = null, limit = 50, search = '' } = {}) {
  const q = new URLSearchParams({ sort, limit: String(limit) });
  if (cursor) q.set('cursor', cursor);
  if (search) q.set('q', search);
  return request('GET', `/public/events/${enc(slug)}/questions?${q}`);
}

export function votePublic(questionId, voter) {
  return request('POST', `/public/questions/${enc(questionId)}/vote`, { voter });
}

// The questions among `ids` that `participant` asked: {items: [...]}.
export function getOwnQuestions(slug, participant, ids) {
  return request('POST', `/public/events/${enc(slug)}/questions/mine`, { participant, ids });
}

// The gauge of public opinion (docs/api.md "Stats"): opts bucket ("60s"), threshold, groups, words.
export function getStats(slug, opts = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(opts)) if (v != null && v !== '') q.set(k, String(v));
  return request('GET', `/events/${enc(slug)}/stats?${q}`);
}
