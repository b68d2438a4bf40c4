-- Issue 4: per-event triage policy and word lists, audience votes, severity ordering and
-- full-text search over the normalised text (the same normal form the classifier and the
-- word lists use, so a search for "shit" finds "sh1t").

ALTER TABLE questions ADD COLUMN votes INTEGER NOT NULL DEFAULT 0;
-- Highest of the six scores, in thousandths, so keyset cursors compare exactly.
ALTER TABLE questions ADD COLUMN severity INTEGER NOT NULL DEFAULT 0;
ALTER TABLE questions ADD COLUMN search_text TEXT NOT NULL DEFAULT '';

UPDATE questions SET severity = CAST(round(max(s_toxicity, s_severe_toxicity, s_insult,
    s_profanity, s_threat, s_identity_attack) * 1000) AS INTEGER);
UPDATE questions SET search_text = lower(text);

CREATE INDEX questions_event_severity ON questions (event_id, severity, id);
CREATE INDEX questions_event_votes ON questions (event_id, votes, id);

CREATE VIRTUAL TABLE questions_fts USING fts5(
    search_text, content = 'questions', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER questions_fts_insert AFTER INSERT ON questions BEGIN
    INSERT INTO questions_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER questions_fts_delete AFTER DELETE ON questions BEGIN
    INSERT INTO questions_fts (questions_fts, rowid, search_text)
    VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER questions_fts_update AFTER UPDATE OF search_text ON questions BEGIN
    INSERT INTO questions_fts (questions_fts, rowid, search_text)
    VALUES ('delete', old.id, old.search_text);
    INSERT INTO questions_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
INSERT INTO questions_fts (questions_fts) VALUES ('rebuild');

-- Thresholds an admin changed for an event; attributes absent here use the defaults.
CREATE TABLE event_thresholds (
    event_id     INTEGER NOT NULL REFERENCES events(id),
    attribute    TEXT    NOT NULL,
    review_above REAL    NOT NULL,
    reject_above REAL    NOT NULL,
    PRIMARY KEY (event_id, attribute)
);

CREATE TABLE event_terms (
    event_id INTEGER NOT NULL REFERENCES events(id),
    kind     TEXT    NOT NULL CHECK (kind IN ('banned', 'suspect')),
    term     TEXT    NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (event_id, kind, term)
);

-- One vote per voter and question.
CREATE TABLE votes (
    question_id INTEGER NOT NULL REFERENCES questions(id),
    voter       TEXT    NOT NULL,
    at          INTEGER NOT NULL,
    PRIMARY KEY (question_id, voter)
);
