-- PostgreSQL twin of 0019_impact_order_index.sql: the groups of an event with members in review,
-- indexed in the impact order, so the Review tab's page (pending and held by impact) walks the
-- leading groups and their members instead of sorting every question in review.
ALTER TABLE question_clusters ADD COLUMN event_id BIGINT;
UPDATE question_clusters c SET event_id = q.event_id FROM questions q WHERE q.id = c.id;
CREATE INDEX question_clusters_impact ON question_clusters (event_id, review DESC, heat DESC, id DESC)
    WHERE review > 0;
