-- Sign-in hardening: staff two-factor, throttling and lock-out, password reset links.

-- Staff two-factor. The TOTP secret (base32) once enrolled, and the last time
-- step a code was accepted for, so each code works once.
ALTER TABLE login ADD COLUMN totp_secret TEXT;
ALTER TABLE login ADD COLUMN totp_last_step INTEGER;

-- Ten single-use recovery codes per enrolled login; only hashes are kept.
CREATE TABLE recovery_code (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practice (id),
    login_id INTEGER NOT NULL REFERENCES login (id),
    code_hash TEXT NOT NULL,
    used_at INTEGER,
    CONSTRAINT recovery_code_key UNIQUE (login_id, code_hash)
);

-- A password that was right, waiting for its second step. Not a session: it
-- opens nothing but the second-step pages. Holds the secret being enrolled
-- until its first code is confirmed.
CREATE TABLE pending_sign_in (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practice (id),
    login_id INTEGER NOT NULL REFERENCES login (id),
    token_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    new_totp_secret TEXT,
    CONSTRAINT pending_sign_in_token_key UNIQUE (token_hash)
);
CREATE INDEX pending_sign_in_login ON pending_sign_in (login_id);

-- Throttled requests, counted in time windows: failed sign-ins (by email and
-- by client address), password-reset and registration requests. Kept in the
-- database so limits hold across restarts and servers.
CREATE TABLE attempt (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('sign_in', 'password_reset', 'registration', 'activation')),
    subject TEXT NOT NULL,
    client_addr TEXT,
    at INTEGER NOT NULL
);
CREATE INDEX attempt_subject ON attempt (kind, subject, at);
CREATE INDEX attempt_client ON attempt (kind, client_addr, at);

-- A login (or an email with no login: the subject is a hash of the email)
-- locked after too many failed sign-ins.
CREATE TABLE lockout (
    id INTEGER PRIMARY KEY,
    subject TEXT NOT NULL,
    practice_id INTEGER REFERENCES practice (id),
    login_id INTEGER REFERENCES login (id),
    locked_at INTEGER NOT NULL,
    locked_until INTEGER NOT NULL,
    client_addr TEXT
);
CREATE INDEX lockout_subject ON lockout (subject, locked_until);
CREATE INDEX lockout_practice ON lockout (practice_id, locked_at);

-- Single-use links gain a second purpose: password reset. SQLite cannot change
-- a CHECK constraint in place, so the table is rebuilt.
CREATE TABLE login_token_new (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practice (id),
    login_id INTEGER NOT NULL REFERENCES login (id),
    purpose TEXT NOT NULL CHECK (purpose IN ('setup', 'reset')),
    token_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER,
    CONSTRAINT login_token_hash_key UNIQUE (token_hash)
);
INSERT INTO login_token_new (id, practice_id, login_id, purpose, token_hash, created_at, expires_at, used_at)
    SELECT id, practice_id, login_id, purpose, token_hash, created_at, expires_at, used_at FROM login_token;
DROP TABLE login_token;
ALTER TABLE login_token_new RENAME TO login_token;
CREATE INDEX login_token_login ON login_token (login_id);
