-- Issue 10: the per-event switch of "auto-decided, unsure" (core/triage/unsure_decision.hpp):
-- a question in review by a score, in a small undecided group, is decided on the event
-- correction's best guess and marked as such; the group reaches review once it grows, and the
-- moderator's decision covers the unsure members. Off by default (it loses genuine questions;
-- docs/benchmarks.md, "Auto-decided, unsure").
ALTER TABLE events ADD COLUMN auto_decide_unsure INTEGER NOT NULL DEFAULT 0
    CHECK (auto_decide_unsure IN (0, 1));
