-- Near-duplicate groups (core/near_duplicate_detector.hpp). Each question belongs to the
-- group of the first question it repeats; cluster_id is that question's id (its own id when
-- it starts a group). Questions stored before this migration start a group each and, having
-- no band keys, are not found as candidates for later ones.

ALTER TABLE questions ADD COLUMN cluster_id INTEGER;
UPDATE questions SET cluster_id = id;
CREATE INDEX questions_event_cluster ON questions (event_id, cluster_id, id);

-- Group sizes, kept by the insert that adds to a group (no count at read time).
CREATE TABLE question_clusters (
    id   INTEGER PRIMARY KEY,  -- the group's first question
    size INTEGER NOT NULL
);
INSERT INTO question_clusters (id, size) SELECT id, 1 FROM questions;

-- MinHash band keys of each question's fingerprint, for finding candidates by key.
CREATE TABLE question_bands (
    event_id    INTEGER NOT NULL,
    band        INTEGER NOT NULL,
    question_id INTEGER NOT NULL,
    PRIMARY KEY (event_id, band, question_id)
) WITHOUT ROWID;
