-- Issue 10, part 3: the per-event correction learned from the moderators' decisions
-- (core/triage/event_learner.hpp). Its labels are the audit trail itself (decisions), so
-- nothing per label is stored here: every instance rebuilds the correction from the
-- decisions. event_learning keeps the admin's latest reset of it, a watermark: decisions whose
-- id is at most reset_after are no labels any more.

-- The policy switch: apply the event's correction to new questions (on by default).
ALTER TABLE events ADD COLUMN learn_from_decisions INTEGER NOT NULL DEFAULT 1
    CHECK (learn_from_decisions IN (0, 1));

CREATE TABLE event_learning (
    event_id    INTEGER PRIMARY KEY REFERENCES events(id),
    reset_after INTEGER NOT NULL DEFAULT 0,
    reset_at    INTEGER NOT NULL DEFAULT 0,
    reset_by    TEXT    NOT NULL DEFAULT ''
);

-- What the correction did to a question when it was triaged: the logit shift added to every
-- head (NULL: no correction applied), and the status the question would have had without it
-- when the shift changed it (NULL otherwise). The s_* scores stay the shipped model's own.
ALTER TABLE questions ADD COLUMN correction REAL;
ALTER TABLE questions ADD COLUMN correction_from TEXT;
