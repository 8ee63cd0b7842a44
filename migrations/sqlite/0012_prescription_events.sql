-- Live updates for prescription requests: a decision, a step such as ready
-- to collect, a cancellation or a question is an event naming the request
-- and its patient, sent only to that patient and to the practice's staff.
-- As in 0010, SQLite cannot change a CHECK, so the table is made again with
-- its id sequence carried on.
CREATE TABLE event_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    practice_id INTEGER NOT NULL REFERENCES practice (id),
    change TEXT NOT NULL
        CHECK (change IN ('taken', 'freed', 'withdrawn', 'added', 'changed', 'released', 'message', 'prescription')),
    slot_id INTEGER,
    -- For 'released': the slot type whose release time passed.
    slot_type_id INTEGER,
    at INTEGER NOT NULL,
    -- For 'message': the conversation; for 'message' and 'prescription': the patient it belongs to.
    thread_id INTEGER,
    patient_id INTEGER,
    -- For 'prescription': the request.
    request_id INTEGER
);
INSERT INTO event_new (id, practice_id, change, slot_id, slot_type_id, at, thread_id, patient_id)
    SELECT id, practice_id, change, slot_id, slot_type_id, at, thread_id, patient_id FROM event;
DELETE FROM sqlite_sequence WHERE name = 'event_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'event_new', seq FROM sqlite_sequence WHERE name = 'event';
DROP TABLE event;
ALTER TABLE event_new RENAME TO event;
CREATE INDEX event_release ON event (slot_type_id, at) WHERE change = 'released';
CREATE INDEX event_at ON event (at);
