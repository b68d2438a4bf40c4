-- Issue 11, goal 4 (the time per insert the same at 10,000 and 1,000,000 questions): FTS5
-- writes a small segment at each commit and, by default (automerge 4), merges segments whenever
-- four of one level exist, so each row is rewritten about log4(N) times and the merges grow with
-- the index. Measured on copies of bench/insert_at_size's filled databases (two rows per commit,
-- as a group commit at 2,000/s): 0.10 ms per commit at 10,000 questions, 0.45 ms at 1,000,000;
-- with automerge 16 (FTS5's largest), 0.09 and 0.11 ms. A search reads at most 15 segments per
-- level instead of 3 (0.06 -> 0.08 ms for a MATCH of 50 rows on the large copy).
-- SQLite only: PostgreSQL's search is its own (no FTS5), so this number has no twin there.
INSERT INTO questions_fts (questions_fts, rank) VALUES ('automerge', 16);
