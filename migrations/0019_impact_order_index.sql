-- Issue 11, goal 3 (fan-out): the dashboard's Review tab lists pending and held questions by
-- impact (the group's members in review, its heat, the group, the question). That order was a
-- sort of every question in review: on an event with 33,828 of 80,000 in review (a replayed
-- scripts/make-flood flood) one first page took 54 ms in sqlite3 and 130-310 ms through the
-- list API, for every dashboard's snapshot and, since the hub keeps impact pages too, for its
-- page read at every tick. With the groups indexed in that order per event, a page walks the
-- leading groups and their members (questions_event_cluster): 3 ms on the same database.
-- Only groups with members in review are indexed (a view of pending and held needs no other).
-- The walk joins each question to its group: every question has one (0004 gave each stored
-- question its own, every insert since sets it); any question without one gets its own here.
UPDATE questions SET cluster_id = id WHERE cluster_id IS NULL;
INSERT OR IGNORE INTO question_clusters (id, size, review, heat)
SELECT q.id, 1, CASE WHEN q.status IN ('pending', 'held') THEN 1 ELSE 0 END, q.created_at / 600
FROM questions q WHERE q.cluster_id = q.id;
ALTER TABLE question_clusters ADD COLUMN event_id INTEGER;
UPDATE question_clusters SET event_id = (SELECT q.event_id FROM questions q WHERE q.id = question_clusters.id);
CREATE INDEX question_clusters_impact ON question_clusters (event_id, review DESC, heat DESC, id DESC)
    WHERE review > 0;
