-- The executives' page and the room's display (issue 14): event settings, the shortlist's
-- order, notes and "answering now", and the "is it a question?" probability of a question.

-- Per-event switches (core/domain/event_settings.hpp), one row per switch that was saved.
-- A switch without a row has its default.
CREATE TABLE event_settings (
    event_id INTEGER NOT NULL REFERENCES events(id),
    name     TEXT    NOT NULL,
    value    TEXT    NOT NULL,
    PRIMARY KEY (event_id, name)
) WITHOUT ROWID;

-- The executives' order (ascending); existing entries keep the order they were added in.
ALTER TABLE shortlist ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
UPDATE shortlist SET position = (
    SELECT count(*) FROM shortlist s
    WHERE s.event_id = shortlist.event_id
      AND (s.added_at < shortlist.added_at
           OR (s.added_at = shortlist.added_at AND s.question_id <= shortlist.question_id)));

-- A short written answer or note, and who wrote it when.
ALTER TABLE shortlist ADD COLUMN note    TEXT    NOT NULL DEFAULT '';
ALTER TABLE shortlist ADD COLUMN note_by TEXT    NOT NULL DEFAULT '';
ALTER TABLE shortlist ADD COLUMN note_at INTEGER NOT NULL DEFAULT 0;

-- Set while the question is being answered now: at most one per event.
ALTER TABLE shortlist ADD COLUMN answering_since INTEGER;
CREATE UNIQUE INDEX shortlist_answering_now ON shortlist (event_id) WHERE answering_since IS NOT NULL;

-- How likely the text is a question (0..1), computed once on the scoring worker; NULL for
-- questions stored before, or while no model computes it.
ALTER TABLE questions ADD COLUMN question_probability REAL;

-- The role "display" (a token that reads one event's display and nothing else). The role's
-- CHECK constraint is part of the table, so the tokens table is rebuilt, with the sessions
-- that refer to it (as 0007 did for `analyst`: the new sessions table refers to the new
-- tokens table, the old pair is dropped child first, and the renames carry the reference);
-- ids, hashes, quotas and sessions are kept.
CREATE TABLE tokens_new (
    id             INTEGER PRIMARY KEY,
    name           TEXT    NOT NULL,
    role           TEXT    NOT NULL CHECK (role IN
                     ('admin', 'moderator', 'executive', 'api_client', 'analyst', 'audience',
                      'display')),
    event_id       INTEGER REFERENCES events(id),  -- NULL: every event
    hash           TEXT    NOT NULL UNIQUE,
    prefix         TEXT    NOT NULL,
    created_at     INTEGER NOT NULL,
    revoked_at     INTEGER,
    -- At most quota_requests per quota_period_s seconds (a token bucket); NULL: no quota.
    quota_requests INTEGER CHECK (quota_requests IS NULL OR quota_requests > 0),
    quota_period_s INTEGER CHECK (quota_period_s IS NULL OR quota_period_s IN (1, 60))
);
INSERT INTO tokens_new (id, name, role, event_id, hash, prefix, created_at, revoked_at,
                        quota_requests, quota_period_s)
    SELECT id, name, role, event_id, hash, prefix, created_at, revoked_at,
           quota_requests, quota_period_s FROM tokens;
CREATE TABLE sessions_new (
    hash       TEXT    PRIMARY KEY,
    token_id   INTEGER NOT NULL REFERENCES tokens_new(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
INSERT INTO sessions_new (hash, token_id, created_at, expires_at)
    SELECT hash, token_id, created_at, expires_at FROM sessions;
DROP TABLE sessions;
DROP TABLE tokens;
ALTER TABLE tokens_new RENAME TO tokens;
ALTER TABLE sessions_new RENAME TO sessions;
CREATE INDEX sessions_token ON sessions (token_id);
