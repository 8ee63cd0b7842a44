-- The practice's targets for online services, as whole percentages; no row:
-- the London programme's (80% offered online, 20% with an account, 50% of
-- routine bookings and cancellations made online).
CREATE TABLE dashboard_targets (
    practice_id INTEGER PRIMARY KEY REFERENCES practice (id),
    offered_online INTEGER NOT NULL CHECK (offered_online BETWEEN 1 AND 100),
    with_account INTEGER NOT NULL CHECK (with_account BETWEEN 1 AND 100),
    used_online INTEGER NOT NULL CHECK (used_online BETWEEN 1 AND 100)
);

-- The dashboard reads a run of months of each kind of activity.
CREATE INDEX appointment_practice_booked ON appointment (practice_id, booked_at);
CREATE INDEX appointment_practice_cancelled ON appointment (practice_id, cancelled_at) WHERE cancelled_at IS NOT NULL;
CREATE INDEX message_practice_sent ON message (practice_id, sent_at);
CREATE INDEX prescription_request_practice_requested ON prescription_request (practice_id, requested_at);
