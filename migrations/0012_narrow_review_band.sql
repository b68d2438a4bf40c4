-- Issue 10: the per-event switch of the calibrated review band (core/triage/event_learner.hpp,
-- "CALIBRATED BAND"): the event's learned correction may narrow the review band where its
-- held-out predictions on the event's own decisions are right often enough. On by default.
ALTER TABLE events ADD COLUMN narrow_review_band INTEGER NOT NULL DEFAULT 1
    CHECK (narrow_review_band IN (0, 1));
