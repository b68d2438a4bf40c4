-- Events, questions with their scores and explanation spans, and the append-only audit trail.
-- Times are milliseconds since the Unix epoch (UTC).

CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    slug        TEXT    NOT NULL UNIQUE,
    title       TEXT    NOT NULL,
    premoderate INTEGER NOT NULL DEFAULT 0 CHECK (premoderate IN (0, 1)),
    created_at  INTEGER NOT NULL
);

CREATE TABLE questions (
    id           INTEGER PRIMARY KEY,
    event_id     INTEGER NOT NULL REFERENCES events(id),
    text         TEXT    NOT NULL,
    author       TEXT,
    source       TEXT,
    external_id  TEXT,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN
                   ('pending', 'approved', 'rejected', 'auto_rejected', 'held', 'answered')),
    version      INTEGER NOT NULL DEFAULT 1,
    lang         TEXT    NOT NULL DEFAULT 'und',
    verdict      TEXT    NOT NULL DEFAULT '',
    s_toxicity        REAL NOT NULL DEFAULT 0,
    s_severe_toxicity REAL NOT NULL DEFAULT 0,
    s_insult          REAL NOT NULL DEFAULT 0,
    s_profanity       REAL NOT NULL DEFAULT 0,
    s_threat          REAL NOT NULL DEFAULT 0,
    s_identity_attack REAL NOT NULL DEFAULT 0
);

-- A retrying client (a tweet bridge) must not create duplicates.
CREATE UNIQUE INDEX questions_external
    ON questions (event_id, coalesce(source, ''), external_id)
    WHERE external_id IS NOT NULL;
CREATE INDEX questions_event_id ON questions (event_id, id);
CREATE INDEX questions_event_status_id ON questions (event_id, status, id);

CREATE TABLE question_spans (
    question_id INTEGER NOT NULL REFERENCES questions(id),
    start       INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    attribute   TEXT    NOT NULL,
    weight      REAL    NOT NULL,
    rule        TEXT
);
CREATE INDEX question_spans_question ON question_spans (question_id);

CREATE TABLE decisions (
    id          INTEGER PRIMARY KEY,
    question_id INTEGER NOT NULL REFERENCES questions(id),
    actor       TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    from_status TEXT,
    to_status   TEXT    NOT NULL,
    reason      TEXT    NOT NULL DEFAULT '',
    at          INTEGER NOT NULL
);
CREATE INDEX decisions_question ON decisions (question_id, id);

-- The audit trail is append-only.
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;

INSERT INTO events (slug, title, premoderate, created_at)
VALUES ('demo', 'Demo Q&A', 0, CAST(strftime('%s', 'now') AS INTEGER) * 1000);
