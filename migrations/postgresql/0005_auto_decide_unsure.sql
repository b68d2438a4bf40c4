-- Issue 10: the per-event switch of "auto-decided, unsure", as SQLite's
-- 0015_auto_decide_unsure.sql. Off by default.
ALTER TABLE events ADD COLUMN auto_decide_unsure INTEGER NOT NULL DEFAULT 0
    CHECK (auto_decide_unsure IN (0, 1));
