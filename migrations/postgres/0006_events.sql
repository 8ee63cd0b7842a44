-- Changes other screens must see, written in the transaction of the change.
-- Live streams send them on and resume from an id. Committing also notifies
-- channel gp_online_events, which wakes every server's hub.
CREATE TABLE event (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    practice_id BIGINT NOT NULL REFERENCES practice (id),
    change TEXT NOT NULL CHECK (change IN ('taken', 'freed', 'withdrawn', 'added', 'changed', 'released')),
    slot_id BIGINT,
    -- For 'released': the slot type whose release time passed.
    slot_type_id BIGINT,
    at TIMESTAMPTZ NOT NULL
);
CREATE INDEX event_release ON event (slot_type_id, at) WHERE change = 'released';
CREATE INDEX event_at ON event (at);
