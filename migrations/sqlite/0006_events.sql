-- Changes other screens must see, written in the transaction of the change.
-- Live streams send them on and resume from an id, so ids only grow
-- (AUTOINCREMENT: never reused, even after old rows are pruned).
CREATE TABLE event (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    practice_id INTEGER NOT NULL REFERENCES practice (id),
    change TEXT NOT NULL CHECK (change IN ('taken', 'freed', 'withdrawn', 'added', 'changed', 'released')),
    slot_id INTEGER,
    -- For 'released': the slot type whose release time passed.
    slot_type_id INTEGER,
    at INTEGER NOT NULL
);
CREATE INDEX event_release ON event (slot_type_id, at) WHERE change = 'released';
CREATE INDEX event_at ON event (at);
