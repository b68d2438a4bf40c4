-- PostgreSQL twin of 0016_demo_event_unsure_on.sql: a demo event with no question yet takes the
-- "auto-decided, unsure" rule on, like any new event; an event in use keeps its setting.
UPDATE events SET auto_decide_unsure = 1
WHERE slug = 'demo' AND NOT EXISTS (SELECT 1 FROM questions q WHERE q.event_id = events.id);
