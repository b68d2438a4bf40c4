-- Issue 11, goal 4 (nothing per question may grow with the event): the per-event learner reads
-- the moderators' audit rows above its watermark every few seconds (sqlite_store::label_decisions).
-- Without this index that read walked every question of the event (or every audit row above the
-- watermark, the triage's own included): 0.3-3.4 s per poll at 1,000,000 questions. The index
-- holds people's rows only, so the triage's row of each new question never enters it.
CREATE INDEX decisions_by_people ON decisions (id) WHERE actor <> 'triage';
