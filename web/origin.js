// origin: the link to a question's original post on the social network it came from (issue
// 16, docs/api.md "Sources") — or null for a question that came another way. The link the
// bridge stored (`origin_url`: a Mastodon status's own url, which may be on another instance
// than the one followed, or a bsky.app link) when it is an https URL; else, for questions
// stored before it was kept, rebuilt from the source, author and external id. Only https
// links are ever made, whatever the stored values (a REST client may send any source), with
// each part encoded.
//   source "mastodon:HOST", external_id digits  -> https://HOST/@AUTHOR/ID
//   source "bluesky", external_id at://DID/app.bsky.feed.post/RKEY -> https://bsky.app/profile/DID/post/RKEY

const HOST = /^[A-Za-z0-9.-]+(:[0-9]{1,5})?$/;
const AT_POST = /^at:\/\/(did:[a-z]+:[A-Za-z0-9._:%-]+)\/app\.bsky\.feed\.post\/([A-Za-z0-9._~-]+)$/;

export function originLink(q) {
  if (!q) return null;
  if (typeof q.origin_url === 'string') {
    try {
      const u = new URL(q.origin_url);
      if (u.protocol === 'https:' && !u.username && !u.password) return u.href;
    } catch {
      // not a URL: rebuilt below
    }
  }
  if (typeof q.source !== 'string' || typeof q.external_id !== 'string') return null;
  if (q.source.startsWith('mastodon:')) {
    const host = q.source.slice('mastodon:'.length);
    if (!HOST.test(host) || !/^[0-9]{1,30}$/.test(q.external_id) || !q.author) return null;
    return `https://${host}/@${encodeURIComponent(q.author).replace(/%40/g, '@')}/${q.external_id}`;
  }
  if (q.source === 'bluesky') {
    const m = AT_POST.exec(q.external_id);
    if (!m) return null;
    return `https://bsky.app/profile/${encodeURIComponent(m[1])}/post/${encodeURIComponent(m[2])}`;
  }
  return null;
}

// "Mastodon (host)" / "Bluesky" for a bridged source, else the source as it is.
export function sourceLabel(source) {
  if (typeof source !== 'string') return '';
  if (source.startsWith('mastodon:')) return `Mastodon (${source.slice('mastodon:'.length)})`;
  if (source === 'bluesky') return 'Bluesky';
  return source;
}
