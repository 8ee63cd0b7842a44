-- Sign-in hardening: staff two-factor, throttling and lock-out, password reset links.

-- Staff two-factor. The TOTP secret (base32) once enrolled, and the last time
-- step a code was accepted for, so each code works once.
ALTER TABLE login ADD COLUMN totp_secret TEXT;
ALTER TABLE login ADD COLUMN totp_last_step BIGINT;

-- Ten single-use recovery codes per enrolled login; only hashes are kept.
CREATE TABLE recovery_code (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    practice_id BIGINT NOT NULL REFERENCES practice (id),
    login_id BIGINT NOT NULL REFERENCES login (id),
    code_hash TEXT NOT NULL,
    used_at TIMESTAMPTZ,
    CONSTRAINT recovery_code_key UNIQUE (login_id, code_hash)
);

-- A password that was right, waiting for its second step. Not a session: it
-- opens nothing but the second-step pages. Holds the secret being enrolled
-- until its first code is confirmed.
CREATE TABLE pending_sign_in (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    practice_id BIGINT NOT NULL REFERENCES practice (id),
    login_id BIGINT NOT NULL REFERENCES login (id),
    token_hash TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    new_totp_secret TEXT,
    CONSTRAINT pending_sign_in_token_key UNIQUE (token_hash)
);
CREATE INDEX pending_sign_in_login ON pending_sign_in (login_id);

-- Throttled requests, counted in time windows: failed sign-ins (by email and
-- by client address), password-reset and registration requests. Kept in the
-- database so limits hold across restarts and servers.
CREATE TABLE attempt (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('sign_in', 'password_reset', 'registration', 'activation')),
    subject TEXT NOT NULL,
    client_addr TEXT,
    at TIMESTAMPTZ NOT NULL
);
CREATE INDEX attempt_subject ON attempt (kind, subject, at);
CREATE INDEX attempt_client ON attempt (kind, client_addr, at);

-- A login (or an email with no login: the subject is a hash of the email)
-- locked after too many failed sign-ins.
CREATE TABLE lockout (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject TEXT NOT NULL,
    practice_id BIGINT REFERENCES practice (id),
    login_id BIGINT REFERENCES login (id),
    locked_at TIMESTAMPTZ NOT NULL,
    locked_until TIMESTAMPTZ NOT NULL,
    client_addr TEXT
);
CREATE INDEX lockout_subject ON lockout (subject, locked_until);
CREATE INDEX lockout_practice ON lockout (practice_id, locked_at);

-- Single-use links gain a second purpose: password reset.
ALTER TABLE login_token DROP CONSTRAINT login_token_purpose_check;
ALTER TABLE login_token ADD CONSTRAINT login_token_purpose_check CHECK (purpose IN ('setup', 'reset'));
CREATE INDEX login_token_login ON login_token (login_id);
