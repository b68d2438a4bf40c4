-- The link to a bridged question's original post (issue 16): a Mastodon status's `url`, or the
-- bsky.app page of a Bluesky post. NULL for questions that came another way.
ALTER TABLE questions ADD COLUMN origin_url TEXT;
