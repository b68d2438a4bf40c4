-- Issue 10, the queue that shrinks: canonical text, a decision that covers its group, the
-- review queue ordered by impact.

-- The event's canonical-text settings (core/text/canonical_text.hpp) and the inheritance
-- switch (core/triage/decision_inheritance.hpp). On by default, also for existing events.
ALTER TABLE events ADD COLUMN canonical_enabled       INTEGER NOT NULL DEFAULT 1;
ALTER TABLE events ADD COLUMN drop_trailing_tags      INTEGER NOT NULL DEFAULT 1;
ALTER TABLE events ADD COLUMN drop_mentions           INTEGER NOT NULL DEFAULT 1;
ALTER TABLE events ADD COLUMN drop_links              INTEGER NOT NULL DEFAULT 1;
ALTER TABLE events ADD COLUMN inherit_group_decisions INTEGER NOT NULL DEFAULT 1;

-- The event's own hashtags, removed wherever they appear (the slug always counts as one).
CREATE TABLE event_tags (
    event_id INTEGER NOT NULL REFERENCES events(id),
    tag      TEXT    NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (event_id, tag)
);

-- The normal form near-duplicate grouping compares (the canonical text's) when it differs
-- from search_text; NULL: the same. The index is rebuilt at start from coalesce(group_text,
-- search_text).
ALTER TABLE questions ADD COLUMN group_text TEXT;

-- A group's decision: the latest approve or reject a moderator made on one of its members
-- (decided_question), who and when. NULL: none.
ALTER TABLE question_clusters ADD COLUMN decision TEXT CHECK (decision IN ('approved', 'rejected'));
ALTER TABLE question_clusters ADD COLUMN decided_by TEXT;
ALTER TABLE question_clusters ADD COLUMN decided_question INTEGER;
ALTER TABLE question_clusters ADD COLUMN decided_at INTEGER;
-- For sort=impact: the members in review (pending or held), kept by every insert and status
-- change, and the heat (core/domain/group_heat.hpp: log2 of the arrivals, each weighted
-- 2^(t / 10 min), in thousandths).
ALTER TABLE question_clusters ADD COLUMN review INTEGER NOT NULL DEFAULT 0;
ALTER TABLE question_clusters ADD COLUMN heat INTEGER NOT NULL DEFAULT 0;

UPDATE question_clusters SET review = r.n
FROM (SELECT cluster_id AS cid, count(*) AS n FROM questions
      WHERE status IN ('pending', 'held') GROUP BY cluster_id) AS r
WHERE question_clusters.id = r.cid;

-- Existing groups: the heat of their newest arrival (older arrivals are not counted).
UPDATE question_clusters SET heat = h.t
FROM (SELECT cluster_id AS cid, max(created_at) / 600 AS t FROM questions GROUP BY cluster_id) AS h
WHERE question_clusters.id = h.cid;

-- Existing decisions: the latest approve or reject in each group, when its question still
-- holds it (a later restore, hold or undo withdrew it).
UPDATE question_clusters
SET decision = CASE d.action WHEN 'approve' THEN 'approved' ELSE 'rejected' END,
    decided_by = d.actor, decided_question = d.question_id, decided_at = d.at
FROM (SELECT q.cluster_id AS cid, dd.action AS action, dd.actor AS actor,
             dd.question_id AS question_id, dd.at AS at, max(dd.id)
      FROM decisions dd JOIN questions q ON q.id = dd.question_id
      WHERE dd.action IN ('approve', 'reject') GROUP BY q.cluster_id) AS d
WHERE question_clusters.id = d.cid;

UPDATE question_clusters
SET decision = NULL, decided_by = NULL, decided_question = NULL, decided_at = NULL
WHERE decision IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM questions q WHERE q.id = question_clusters.decided_question AND (
        (question_clusters.decision = 'approved' AND q.status IN ('approved', 'answered')) OR
        (question_clusters.decision = 'rejected' AND q.status = 'rejected')));

CREATE INDEX question_clusters_decided ON question_clusters (id) WHERE decision IS NOT NULL;
