-- Requests for online services that patients make on the practice's website,
-- staff's handling of them, and offers of online access made at the desk.

-- Requests nobody handled expire after this many days.
ALTER TABLE practice_settings ADD COLUMN request_expiry_days INTEGER NOT NULL DEFAULT 90
    CHECK (request_expiry_days BETWEEN 7 AND 365);

-- Why staff switched an online account off (kept for the practice, never
-- sent to the patient).
ALTER TABLE online_account ADD COLUMN disabled_reason TEXT;

-- One row per person asking; a second request while the first is open merges
-- into it (times_requested). patient_id is the register's match: the same
-- identifier, date of birth and surname. What the applicant typed is kept as
-- typed, so staff see what was asked.
CREATE TABLE access_request (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practice (id),
    status TEXT NOT NULL CHECK (status IN ('new', 'in_progress', 'approved', 'declined', 'expired')),
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    date_of_birth TEXT NOT NULL,
    sex TEXT NOT NULL CHECK (sex IN ('female', 'male', 'other', 'unknown')),
    postcode TEXT NOT NULL,
    identifier_kind TEXT NOT NULL CHECK (identifier_kind IN ('nhs', 'chi', 'health_and_care')),
    identifier TEXT NOT NULL,
    email TEXT NOT NULL,
    mobile TEXT,
    patient_id INTEGER REFERENCES patient (id),
    times_requested INTEGER NOT NULL DEFAULT 1,
    first_requested_at INTEGER NOT NULL,
    last_requested_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    handler_id INTEGER REFERENCES login (id),
    identity_check TEXT CHECK (identity_check IN ('photo_id', 'vouched', 'other')),
    identity_note TEXT,
    discussion TEXT,
    coercion_concern INTEGER CHECK (coercion_concern IN (0, 1)),
    capacity_concern INTEGER CHECK (capacity_concern IN (0, 1)),
    gillick_competent INTEGER CHECK (gillick_competent IN (0, 1)),
    decline_reason TEXT,
    closed_at INTEGER
);
CREATE INDEX access_request_queue ON access_request (practice_id, status, last_requested_at);
CREATE UNIQUE INDEX access_request_one_open ON access_request (practice_id, identifier_kind, identifier, date_of_birth)
    WHERE status IN ('new', 'in_progress');

-- "Offered and declined": a patient asked at the desk who did not want online
-- access. They are not suggested again for 12 months.
CREATE TABLE access_offer (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practice (id),
    patient_id INTEGER NOT NULL REFERENCES patient (id),
    outcome TEXT NOT NULL CHECK (outcome IN ('declined')),
    recorded_by INTEGER REFERENCES login (id),
    recorded_at INTEGER NOT NULL
);
CREATE INDEX access_offer_patient ON access_offer (practice_id, patient_id, recorded_at);
