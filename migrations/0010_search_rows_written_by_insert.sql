-- The group commit writes the full-text rows of a batch itself, after every other row of the
-- batch (core/sqlite/sqlite_question_inserts.cpp). Through this trigger FTS5 wrote one index
-- segment per question (it flushes at every statement savepoint, and the trigger made each
-- INSERT INTO questions one), which cost a third of the commit and grew with the event.
-- Every question still has its questions_fts row: a writer that inserts into questions
-- inserts that row too. The update and delete triggers stay: they keep the index in step
-- with other writes.

DROP TRIGGER questions_fts_insert;
