-- PostgreSQL twin of 0017_decisions_by_people.sql: the learner's read of the moderators' audit
-- rows above its watermark goes through an index of people's rows only, not the whole event.
CREATE INDEX decisions_by_people ON decisions (id) WHERE actor <> 'triage';
