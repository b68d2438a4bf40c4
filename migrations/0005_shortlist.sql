-- The executives' shortlist: approved questions chosen to be answered, per event, in the order
-- they were added.
CREATE TABLE shortlist (
    event_id    INTEGER NOT NULL REFERENCES events(id),
    question_id INTEGER NOT NULL REFERENCES questions(id),
    added_by    TEXT    NOT NULL,
    added_at    INTEGER NOT NULL,
    PRIMARY KEY (event_id, question_id)
);
