-- Practices, logins, staff, patients and one-time tokens.
-- Instants are timestamptz (UTC); calendar dates are date.
-- Every table carries practice_id.

CREATE TABLE practice (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ods_code TEXT NOT NULL,
    name TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    website TEXT,
    online_services_enabled BOOLEAN NOT NULL DEFAULT FALSE,
    is_demo BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL,
    CONSTRAINT practice_ods_code_key UNIQUE (ods_code)
);

-- A login is an email and a password; practice_id is the practice it was created at.
CREATE TABLE login (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    practice_id BIGINT NOT NULL REFERENCES practice (id),
    email TEXT NOT NULL,
    password_hash TEXT,
    display_name TEXT NOT NULL,
    disabled_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX login_email_key ON login (lower(email));

CREATE TABLE staff_member (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    practice_id BIGINT NOT NULL REFERENCES practice (id),
    login_id BIGINT NOT NULL REFERENCES login (id),
    role TEXT NOT NULL CHECK (role IN ('receptionist', 'clinician', 'practice_admin')),
    created_at TIMESTAMPTZ NOT NULL,
    CONSTRAINT staff_member_login_key UNIQUE (practice_id, login_id)
);

CREATE TABLE patient (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    practice_id BIGINT NOT NULL REFERENCES practice (id),
    nhs_number TEXT NOT NULL,
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    date_of_birth DATE NOT NULL,
    sex TEXT NOT NULL CHECK (sex IN ('female', 'male', 'other', 'unknown')),
    postcode TEXT NOT NULL DEFAULT '',
    email TEXT,
    registration_status TEXT NOT NULL DEFAULT 'registered' CHECK (registration_status IN ('registered', 'left', 'deceased')),
    created_at TIMESTAMPTZ NOT NULL,
    CONSTRAINT patient_nhs_number_key UNIQUE (practice_id, nhs_number)
);
CREATE INDEX patient_practice_family_name ON patient (practice_id, family_name);

-- Single-use links (account set-up, later password reset). Only a hash of the token is kept.
CREATE TABLE login_token (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    practice_id BIGINT NOT NULL REFERENCES practice (id),
    login_id BIGINT NOT NULL REFERENCES login (id),
    purpose TEXT NOT NULL CHECK (purpose IN ('setup')),
    token_hash TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ,
    CONSTRAINT login_token_hash_key UNIQUE (token_hash)
);
