-- Live updates for prescription requests: a decision, a step such as ready
-- to collect, a cancellation or a question is an event naming the request
-- and its patient, sent only to that patient and to the practice's staff.
ALTER TABLE event DROP CONSTRAINT event_change_check;
ALTER TABLE event ADD CONSTRAINT event_change_check
    CHECK (change IN ('taken', 'freed', 'withdrawn', 'added', 'changed', 'released', 'message', 'prescription'));
ALTER TABLE event ADD COLUMN request_id BIGINT;
