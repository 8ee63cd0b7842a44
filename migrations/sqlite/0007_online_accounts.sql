-- Online accounts issued by the practice: the registration letter's account ID
-- and linkage key, the identity check behind it, and where it stands. The key
-- is kept until it is used or replaced, so staff can print the letter again;
-- it works once, until key_expires_at.
CREATE TABLE online_account (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practice (id),
    patient_id INTEGER NOT NULL REFERENCES patient (id),
    account_ref TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'disabled')),
    login_id INTEGER REFERENCES login (id),
    linkage_key TEXT,
    key_expires_at INTEGER,
    identity_check TEXT NOT NULL CHECK (identity_check IN ('photo_id', 'vouched', 'other')),
    identity_note TEXT NOT NULL,
    checked_by INTEGER REFERENCES login (id),
    checked_at INTEGER NOT NULL,
    activated_at INTEGER,
    created_at INTEGER NOT NULL,
    CHECK ((linkage_key IS NULL) = (key_expires_at IS NULL)),
    CONSTRAINT online_account_ref_key UNIQUE (practice_id, account_ref),
    CONSTRAINT online_account_patient_key UNIQUE (patient_id)
);
