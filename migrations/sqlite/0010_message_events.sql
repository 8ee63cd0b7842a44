-- Live updates for conversations: a new message, or a conversation closed,
-- is an event like a slot being taken, sent only to the patient whose
-- conversation it is and to the practice's staff. SQLite cannot change a
-- CHECK, so the table is made again; its id sequence carries on where it
-- was, so a browser resuming from an id misses nothing.
CREATE TABLE event_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    practice_id INTEGER NOT NULL REFERENCES practice (id),
    change TEXT NOT NULL
        CHECK (change IN ('taken', 'freed', 'withdrawn', 'added', 'changed', 'released', 'message')),
    slot_id INTEGER,
    -- For 'released': the slot type whose release time passed.
    slot_type_id INTEGER,
    at INTEGER NOT NULL,
    -- For 'message': the conversation, and the patient it belongs to.
    thread_id INTEGER,
    patient_id INTEGER
);
INSERT INTO event_new (id, practice_id, change, slot_id, slot_type_id, at)
    SELECT id, practice_id, change, slot_id, slot_type_id, at FROM event;
DELETE FROM sqlite_sequence WHERE name = 'event_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'event_new', seq FROM sqlite_sequence WHERE name = 'event';
DROP TABLE event;
ALTER TABLE event_new RENAME TO event;
CREATE INDEX event_release ON event (slot_type_id, at) WHERE change = 'released';
CREATE INDEX event_at ON event (at);
