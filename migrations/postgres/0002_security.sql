-- Patient logins, sessions, the audit trail and the email outbox.

-- A patient's own login (a login acts for its own patient record, and later for others by proxy).
ALTER TABLE login ADD COLUMN patient_id BIGINT REFERENCES patient (id);
CREATE UNIQUE INDEX login_patient_key ON login (patient_id) WHERE patient_id IS NOT NULL;

-- Sessions live here, not in process memory, so they hold across restarts and servers.
-- Only a hash of the cookie's random id is kept.
CREATE TABLE session (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    practice_id BIGINT NOT NULL REFERENCES practice (id),
    login_id BIGINT NOT NULL REFERENCES login (id),
    token_hash TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('patient', 'staff')),
    acting_for_patient_id BIGINT REFERENCES patient (id),
    created_at TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    client_addr TEXT,
    CONSTRAINT session_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX session_login ON session (login_id);
CREATE INDEX session_practice ON session (practice_id);

-- Append-only: the trigger below refuses any change or removal.
CREATE TABLE audit_event (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    practice_id BIGINT REFERENCES practice (id),
    actor_login_id BIGINT REFERENCES login (id),
    acting_for_patient_id BIGINT REFERENCES patient (id),
    action TEXT NOT NULL,
    object_type TEXT,
    object_id TEXT,
    detail TEXT,
    at TIMESTAMPTZ NOT NULL,
    client_addr TEXT,
    request_id TEXT
);
CREATE INDEX audit_event_practice_at ON audit_event (practice_id, at);

CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_event is append-only';
END;
$$;
CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();

-- Mail is written here in the same transaction as the change that caused it;
-- workers on any server claim rows with a lease (FOR UPDATE SKIP LOCKED) and send them.
CREATE TABLE outbox (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    practice_id BIGINT NOT NULL REFERENCES practice (id),
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    lease_owner TEXT,
    lease_until TIMESTAMPTZ,
    sent_at TIMESTAMPTZ,
    abandoned_at TIMESTAMPTZ,
    last_error TEXT
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL AND abandoned_at IS NULL;
CREATE INDEX outbox_practice ON outbox (practice_id, created_at);
