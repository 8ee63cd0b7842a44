-- The patient register in full, the practice's online services settings, and
-- per-patient grants.

-- The identifier is an NHS, CHI or Health and Care number: text, with its kind.
ALTER TABLE patient RENAME COLUMN nhs_number TO identifier;
ALTER TABLE patient ADD COLUMN identifier_kind TEXT NOT NULL DEFAULT 'nhs'
    CHECK (identifier_kind IN ('nhs', 'chi', 'health_and_care'));
ALTER TABLE patient ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE patient ADD COLUMN mobile TEXT;
-- The patient's preferences for being contacted.
ALTER TABLE patient ADD COLUMN contact_by_email INTEGER NOT NULL DEFAULT 1 CHECK (contact_by_email IN (0, 1));
ALTER TABLE patient ADD COLUMN contact_by_sms INTEGER NOT NULL DEFAULT 0 CHECK (contact_by_sms IN (0, 1));
-- Dates as YYYY-MM-DD.
ALTER TABLE patient ADD COLUMN registered_on TEXT;
ALTER TABLE patient ADD COLUMN left_on TEXT;
ALTER TABLE patient ADD COLUMN deceased_on TEXT;
CREATE INDEX patient_practice_date_of_birth ON patient (practice_id, date_of_birth);

-- One row per practice: the switches and the default grants for new accounts.
CREATE TABLE practice_settings (
    practice_id INTEGER PRIMARY KEY REFERENCES practice (id),
    self_registration INTEGER NOT NULL DEFAULT 1 CHECK (self_registration IN (0, 1)),
    default_appointments INTEGER NOT NULL DEFAULT 1 CHECK (default_appointments IN (0, 1)),
    default_prescriptions INTEGER NOT NULL DEFAULT 1 CHECK (default_prescriptions IN (0, 1)),
    default_messaging INTEGER NOT NULL DEFAULT 1 CHECK (default_messaging IN (0, 1)),
    default_record TEXT NOT NULL DEFAULT 'full' CHECK (default_record IN ('none', 'summary', 'detailed_coded', 'full')),
    default_record_from TEXT NOT NULL DEFAULT 'account_creation'
        CHECK (default_record_from IN ('account_creation', 'date', 'full_history')),
    default_record_from_date TEXT,
    default_record_audit INTEGER NOT NULL DEFAULT 1 CHECK (default_record_audit IN (0, 1)),
    default_consent INTEGER NOT NULL DEFAULT 1 CHECK (default_consent IN (0, 1)),
    updated_at INTEGER NOT NULL
);

-- A patient's own grants, once staff set them; without a row the practice
-- defaults apply. The reason is required when they differ from the defaults.
CREATE TABLE patient_grant (
    patient_id INTEGER PRIMARY KEY REFERENCES patient (id),
    practice_id INTEGER NOT NULL REFERENCES practice (id),
    appointments INTEGER NOT NULL CHECK (appointments IN (0, 1)),
    prescriptions INTEGER NOT NULL CHECK (prescriptions IN (0, 1)),
    messaging INTEGER NOT NULL CHECK (messaging IN (0, 1)),
    record TEXT NOT NULL CHECK (record IN ('none', 'summary', 'detailed_coded', 'full')),
    record_from TEXT NOT NULL CHECK (record_from IN ('account_creation', 'date', 'full_history')),
    record_from_date TEXT,
    record_audit INTEGER NOT NULL CHECK (record_audit IN (0, 1)),
    consent INTEGER NOT NULL CHECK (consent IN (0, 1)),
    reason TEXT NOT NULL DEFAULT '',
    updated_by INTEGER REFERENCES login (id),
    updated_at INTEGER NOT NULL
);
CREATE INDEX patient_grant_practice ON patient_grant (practice_id);
