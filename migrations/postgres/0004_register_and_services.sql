-- The patient register in full, the practice's online services settings, and
-- per-patient grants.

-- The identifier is an NHS, CHI or Health and Care number: text, with its kind.
ALTER TABLE patient RENAME COLUMN nhs_number TO identifier;
ALTER TABLE patient RENAME CONSTRAINT patient_nhs_number_key TO patient_identifier_key;
ALTER TABLE patient ADD COLUMN identifier_kind TEXT NOT NULL DEFAULT 'nhs'
    CHECK (identifier_kind IN ('nhs', 'chi', 'health_and_care'));
ALTER TABLE patient ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE patient ADD COLUMN mobile TEXT;
-- The patient's preferences for being contacted.
ALTER TABLE patient ADD COLUMN contact_by_email BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE patient ADD COLUMN contact_by_sms BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE patient ADD COLUMN registered_on DATE;
ALTER TABLE patient ADD COLUMN left_on DATE;
ALTER TABLE patient ADD COLUMN deceased_on DATE;
CREATE INDEX patient_practice_date_of_birth ON patient (practice_id, date_of_birth);

-- One row per practice: the switches and the default grants for new accounts.
CREATE TABLE practice_settings (
    practice_id BIGINT PRIMARY KEY REFERENCES practice (id),
    self_registration BOOLEAN NOT NULL DEFAULT TRUE,
    default_appointments BOOLEAN NOT NULL DEFAULT TRUE,
    default_prescriptions BOOLEAN NOT NULL DEFAULT TRUE,
    default_messaging BOOLEAN NOT NULL DEFAULT TRUE,
    default_record TEXT NOT NULL DEFAULT 'full' CHECK (default_record IN ('none', 'summary', 'detailed_coded', 'full')),
    default_record_from TEXT NOT NULL DEFAULT 'account_creation'
        CHECK (default_record_from IN ('account_creation', 'date', 'full_history')),
    default_record_from_date DATE,
    default_record_audit BOOLEAN NOT NULL DEFAULT TRUE,
    default_consent BOOLEAN NOT NULL DEFAULT TRUE,
    updated_at TIMESTAMPTZ NOT NULL
);

-- A patient's own grants, once staff set them; without a row the practice
-- defaults apply. The reason is required when they differ from the defaults.
CREATE TABLE patient_grant (
    patient_id BIGINT PRIMARY KEY REFERENCES patient (id),
    practice_id BIGINT NOT NULL REFERENCES practice (id),
    appointments BOOLEAN NOT NULL,
    prescriptions BOOLEAN NOT NULL,
    messaging BOOLEAN NOT NULL,
    record TEXT NOT NULL CHECK (record IN ('none', 'summary', 'detailed_coded', 'full')),
    record_from TEXT NOT NULL CHECK (record_from IN ('account_creation', 'date', 'full_history')),
    record_from_date DATE,
    record_audit BOOLEAN NOT NULL,
    consent BOOLEAN NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    updated_by BIGINT REFERENCES login (id),
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX patient_grant_practice ON patient_grant (practice_id);
