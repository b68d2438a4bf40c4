-- The live stream's numbering, shared by every Tribune instance on this database (issue 15).
-- Each committed change of an event takes the event's next sequence number in the same
-- transaction (event_sequences: the row lock on the event's counter also puts the changes of
-- one event in commit order), is kept in event_changes, and is announced with NOTIFY as
-- "event_id|seq|payload". A listener that lost its connection reads what it missed from
-- event_changes; a dashboard may resume with ?since=N on any instance.
-- PostgreSQL only: SQLite serves one process, whose hub numbers the changes itself.
CREATE TABLE event_sequences (
    event_id BIGINT PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
    seq      BIGINT NOT NULL
);
CREATE TABLE event_changes (
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    seq      BIGINT NOT NULL,
    payload  TEXT   NOT NULL,  -- "id|created", "id|updated|from|actor" or "s|action|id|actor"
    at       BIGINT NOT NULL,  -- ms since the epoch; old rows are pruned
    PRIMARY KEY (event_id, seq)
);
CREATE INDEX event_changes_at ON event_changes (at);
-- Names the numbering: a dashboard's position (epoch, seq) is valid on every instance of
-- this database and on no other.
CREATE TABLE stream_epoch (epoch TEXT NOT NULL);
INSERT INTO stream_epoch (epoch) SELECT substr(md5(random()::text || clock_timestamp()::text), 1, 12);

-- Webhook delivery with several instances: an instance claims a hook (FOR UPDATE SKIP LOCKED,
-- then claimed_until = now + 60 s) before delivering its oldest owed delivery, and releases it
-- when it records the attempt; a claim of an instance that died expires. One delivery is
-- thus attempted by one instance at a time, as with one process.
ALTER TABLE webhooks ADD COLUMN claimed_until BIGINT NOT NULL DEFAULT 0;
