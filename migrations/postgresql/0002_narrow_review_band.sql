-- Issue 10: the per-event switch of the calibrated review band, as SQLite's
-- 0012_narrow_review_band.sql. On by default.
ALTER TABLE events ADD COLUMN narrow_review_band INTEGER NOT NULL DEFAULT 1
    CHECK (narrow_review_band IN (0, 1));
