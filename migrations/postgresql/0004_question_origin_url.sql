-- Twin of SQLite 0014: the link to a bridged question's original post (issue 16). NULL for
-- questions that came another way.
ALTER TABLE questions ADD COLUMN origin_url TEXT;
