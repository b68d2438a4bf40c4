-- Issue 13: the Perspective-compatible drop-in (analyst keys with quotas, suggested scores)
-- and outbound webhooks (hooks per event, a transactional outbox, the delivery log).

-- 1. Tokens: the `analyst` role and a per-key quota. SQLite cannot change a CHECK in place,
-- so tokens is rebuilt, and sessions with it: a dropped parent table leaves its children's
-- foreign keys counted as violated until COMMIT even when a new table carries every id again,
-- and PRAGMA foreign_keys cannot be turned off inside the migration's transaction. So the new
-- sessions table refers to the new tokens table, the old pair is dropped child first, and the
-- renames carry the reference along.
CREATE TABLE tokens_new (
    id             INTEGER PRIMARY KEY,
    name           TEXT    NOT NULL,
    role           TEXT    NOT NULL CHECK (role IN
                     ('admin', 'moderator', 'executive', 'api_client', 'analyst', 'audience')),
    event_id       INTEGER REFERENCES events(id),  -- NULL: every event
    hash           TEXT    NOT NULL UNIQUE,
    prefix         TEXT    NOT NULL,
    created_at     INTEGER NOT NULL,
    revoked_at     INTEGER,
    -- At most quota_requests per quota_period_s seconds (a token bucket); NULL: no quota.
    quota_requests INTEGER CHECK (quota_requests IS NULL OR quota_requests > 0),
    quota_period_s INTEGER CHECK (quota_period_s IS NULL OR quota_period_s IN (1, 60))
);
INSERT INTO tokens_new (id, name, role, event_id, hash, prefix, created_at, revoked_at)
    SELECT id, name, role, event_id, hash, prefix, created_at, revoked_at FROM tokens;
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

-- 2. Suggested scores (POST /v1alpha1/comments:suggestscore): labelled examples an admin
-- exports for per-event learning or retraining. Span offsets are UTF-16 code units, as the
-- client sent them.
CREATE TABLE suggestions (
    id           INTEGER PRIMARY KEY,
    text         TEXT    NOT NULL,
    languages    TEXT    NOT NULL DEFAULT '',  -- comma-separated, as requested
    community_id TEXT,
    client_token TEXT,
    session_id   TEXT,
    submitted_by TEXT    NOT NULL,             -- the key's token name
    created_at   INTEGER NOT NULL
);
CREATE TABLE suggestion_scores (
    suggestion_id INTEGER NOT NULL REFERENCES suggestions(id),
    attribute     TEXT    NOT NULL,  -- as the client named it, e.g. TOXICITY
    span_begin    INTEGER,           -- NULL (with span_end): the summary score
    span_end      INTEGER,
    value         REAL    NOT NULL
);
CREATE INDEX suggestion_scores_suggestion ON suggestion_scores (suggestion_id);
CREATE TABLE suggestion_context (
    suggestion_id INTEGER NOT NULL REFERENCES suggestions(id),
    position      INTEGER NOT NULL,
    text          TEXT    NOT NULL,
    type          TEXT,
    PRIMARY KEY (suggestion_id, position)
);

-- 3. Webhooks. `events` lists the subscribed types between commas, e.g.
-- ',question.created,question.answered,'. The secret signs every body (HMAC-SHA256), so it is
-- kept as given, not hashed.
CREATE TABLE webhooks (
    id                   INTEGER PRIMARY KEY,
    event_id             INTEGER NOT NULL REFERENCES events(id),
    url                  TEXT    NOT NULL,
    secret               TEXT    NOT NULL,
    events               TEXT    NOT NULL,
    created_by           TEXT    NOT NULL,
    created_at           INTEGER NOT NULL,
    disabled_at          INTEGER,          -- NULL: enabled
    disabled_reason      TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    next_attempt_at      INTEGER NOT NULL DEFAULT 0  -- backoff: nothing is sent before this
);
CREATE INDEX webhooks_event ON webhooks (event_id);

-- The outbox: one row per delivery still owed. Filled by the store inside the very transaction
-- that writes a question's audit row (a group commit, a decision, an undo: sqlite_store::
-- queue_webhooks), so a committed change is never lost to a crash; a row leaves the outbox
-- only after the receiver answered 2xx.
CREATE TABLE webhook_outbox (
    id          INTEGER PRIMARY KEY,
    delivery_id TEXT    NOT NULL UNIQUE,  -- the same on every attempt: receivers deduplicate
    hook_id     INTEGER NOT NULL REFERENCES webhooks(id),
    type        TEXT    NOT NULL,         -- question.created | question.verdict_changed | question.answered
    question_id INTEGER NOT NULL,
    decision_id INTEGER NOT NULL,         -- the audit row that caused it: from, to, actor, at
    attempts    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX webhook_outbox_hook ON webhook_outbox (hook_id, id);

-- The delivery log: every attempt, kept per hook up to a bound (core/service/webhook_service).
CREATE TABLE webhook_attempts (
    id          INTEGER PRIMARY KEY,
    hook_id     INTEGER NOT NULL REFERENCES webhooks(id),
    delivery_id TEXT    NOT NULL,
    type        TEXT    NOT NULL,
    question_id INTEGER NOT NULL,
    attempt     INTEGER NOT NULL,          -- 1 for the first try of this delivery
    at          INTEGER NOT NULL,
    http_status INTEGER,                   -- NULL: no HTTP answer (refused, timeout, TLS)
    error       TEXT,
    duration_ms INTEGER NOT NULL,
    retry_in_ms INTEGER,                   -- the backoff chosen after a failure; NULL on success
    outcome     TEXT    NOT NULL CHECK (outcome IN ('delivered', 'failed', 'hook_disabled'))
);
CREATE INDEX webhook_attempts_hook ON webhook_attempts (hook_id, id);
