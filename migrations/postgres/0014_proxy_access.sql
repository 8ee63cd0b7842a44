-- Proxy access: a login acting for a patient (the subject), possibly one
-- registered at another practice of the deployment. What a grant allows on
-- a given day is worked out by domain::proxy from these facts and the
-- subject's date of birth.
CREATE TABLE proxy_grant (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- The subject's practice: it decides, and its staff see the grant.
    practice_id BIGINT NOT NULL REFERENCES practice (id),
    subject_patient_id BIGINT NOT NULL REFERENCES patient (id),
    -- The proxy: their sign-in once there is one, and who they are.
    proxy_login_id BIGINT REFERENCES login (id),
    proxy_email TEXT NOT NULL,
    proxy_name TEXT NOT NULL,
    relationship TEXT NOT NULL
        CHECK (relationship IN ('parent_or_guardian', 'carer', 'power_of_attorney', 'other')),
    legal_basis TEXT NOT NULL
        CHECK (legal_basis IN ('patient_consent', 'parental_responsibility', 'power_of_attorney', 'best_interests')),
    appointments BOOLEAN NOT NULL,
    prescriptions BOOLEAN NOT NULL,
    messages BOOLEAN NOT NULL,
    record_level TEXT NOT NULL CHECK (record_level IN ('none', 'summary', 'detailed_coded', 'full')),
    starts_on DATE NOT NULL,
    ends_on DATE,
    status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'suspended', 'ended')),
    -- Who set it up: staff after checking, or the patient themself.
    granted_by TEXT NOT NULL CHECK (granted_by IN ('staff', 'patient')),
    created_by BIGINT NOT NULL REFERENCES login (id),
    created_at TIMESTAMPTZ NOT NULL,
    -- How the proxy's identity and right to act were checked, by whom.
    verified_how TEXT,
    verified_by BIGINT REFERENCES login (id),
    verified_at TIMESTAMPTZ,
    -- A clinician's decision on a parent's access, and their note (also the
    -- note a best-interests grant needs).
    clinician_decision TEXT CHECK (clinician_decision IN ('keep_services', 'narrow_now')),
    clinician_note TEXT,
    reviewed_on DATE,
    last_used_on DATE,
    suspended_reason TEXT,
    ended_at TIMESTAMPTZ,
    ended_by BIGINT REFERENCES login (id),
    CONSTRAINT proxy_grant_dates CHECK (ends_on IS NULL OR ends_on >= starts_on),
    CONSTRAINT proxy_grant_best_interests_note CHECK (legal_basis <> 'best_interests' OR clinician_note IS NOT NULL)
);
-- One open grant per proxy and subject.
CREATE UNIQUE INDEX proxy_grant_open_key ON proxy_grant (subject_patient_id, lower(proxy_email))
    WHERE status <> 'ended';
CREATE INDEX proxy_grant_proxy ON proxy_grant (proxy_login_id);
CREATE INDEX proxy_grant_subject ON proxy_grant (practice_id, subject_patient_id);

-- The practice's ages for parents' access, and whether grants patients make
-- themselves wait for the practice. No row: the defaults.
CREATE TABLE proxy_settings (
    practice_id BIGINT PRIMARY KEY REFERENCES practice (id),
    narrow_from INTEGER NOT NULL CHECK (narrow_from BETWEEN 1 AND 15),
    review_at INTEGER NOT NULL CHECK (review_at BETWEEN 1 AND 15),
    patient_grants_reviewed BOOLEAN NOT NULL
);
