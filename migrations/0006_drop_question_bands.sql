-- Near-duplicate grouping is decided on the scoring worker by an in-memory index
-- (core/triage/near_duplicate_index.hpp), rebuilt at start from the most recent questions'
-- search_text (their normal form); the band keys are no longer written per question.
-- Questions stored before schema version 4 now take part as candidates like any other (those
-- stored before version 2 kept lower(text) as search_text, and are fingerprinted from that).

DROP TABLE question_bands;
