-- Patient logins, sessions, the audit trail and the email outbox.

-- A patient's own login (a login acts for its own patient record, and later for others by proxy).
ALTER TABLE login ADD COLUMN patient_id INTEGER REFERENCES patient (id);
CREATE UNIQUE INDEX login_patient_key ON login (patient_id) WHERE patient_id IS NOT NULL;

-- Sessions live here, not in process memory, so they hold across restarts and servers.
-- Only a hash of the cookie's random id is kept.
CREATE TABLE session (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practice (id),
    login_id INTEGER NOT NULL REFERENCES login (id),
    token_hash TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('patient', 'staff')),
    acting_for_patient_id INTEGER REFERENCES patient (id),
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    client_addr TEXT,
    CONSTRAINT session_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX session_login ON session (login_id);
CREATE INDEX session_practice ON session (practice_id);

-- Append-only: the triggers below refuse any change or removal.
CREATE TABLE audit_event (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER REFERENCES practice (id),
    actor_login_id INTEGER REFERENCES login (id),
    acting_for_patient_id INTEGER REFERENCES patient (id),
    action TEXT NOT NULL,
    object_type TEXT,
    object_id TEXT,
    detail TEXT,
    at INTEGER NOT NULL,
    client_addr TEXT,
    request_id TEXT
);
CREATE INDEX audit_event_practice_at ON audit_event (practice_id, at);
CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
BEGIN
    SELECT RAISE(ABORT, 'audit_event is append-only');
END;
CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
BEGIN
    SELECT RAISE(ABORT, 'audit_event is append-only');
END;

-- Mail is written here in the same transaction as the change that caused it;
-- a worker claims rows with a lease and sends them.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practice (id),
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    lease_owner TEXT,
    lease_until INTEGER,
    sent_at INTEGER,
    abandoned_at INTEGER,
    last_error TEXT
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL AND abandoned_at IS NULL;
CREATE INDEX outbox_practice ON outbox (practice_id, created_at);
