-- Social-network sources per event (issue 16): a Mastodon hashtag on an instance or a Bluesky
-- hashtag through a Jetstream endpoint, with the cursor each resumes from.
-- (Session 3 reserved number 0015 for this migration; renumber at merge.)
CREATE TABLE bridge_sources (
    id           INTEGER PRIMARY KEY,
    event_id     INTEGER NOT NULL REFERENCES events(id),
    kind         TEXT    NOT NULL CHECK (kind IN ('mastodon', 'bluesky')),
    endpoint     TEXT    NOT NULL,
    tag          TEXT    NOT NULL,
    access_token TEXT    NOT NULL DEFAULT '',
    paused       INTEGER NOT NULL DEFAULT 0,
    cursor       TEXT    NOT NULL DEFAULT '',
    created_by   TEXT    NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX bridge_sources_event ON bridge_sources (event_id);
