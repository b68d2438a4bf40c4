-- Issue 10: new events take the "auto-decided, unsure" rule on (event_policy's default since
-- session 6, written by create_event). The demo event is created by 0001 with the column's
-- default (off); a database whose demo event has no question yet gets it on like any new event.
-- An event in use keeps its setting.
UPDATE events SET auto_decide_unsure = 1
WHERE slug = 'demo' AND NOT EXISTS (SELECT 1 FROM questions q WHERE q.event_id = events.id);
