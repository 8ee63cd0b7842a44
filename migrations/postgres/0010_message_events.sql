-- Live updates for conversations: a new message, or a conversation closed,
-- is an event like a slot being taken, sent only to the patient whose
-- conversation it is and to the practice's staff.
ALTER TABLE event DROP CONSTRAINT event_change_check;
ALTER TABLE event ADD CONSTRAINT event_change_check
    CHECK (change IN ('taken', 'freed', 'withdrawn', 'added', 'changed', 'released', 'message'));
ALTER TABLE event ADD COLUMN thread_id BIGINT;
ALTER TABLE event ADD COLUMN patient_id BIGINT;
