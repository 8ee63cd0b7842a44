-- The patient's record as it arrives from the practice's clinical system
-- (FHIR R4 Bundles, docs/fhir-import.md): one row per entry. `source_id`
-- is the resource's type and id ("Condition/abc"), so importing the same
-- resource again updates its row instead of adding one.
CREATE TABLE record_entry (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    practice_id BIGINT NOT NULL REFERENCES practice (id),
    patient_id BIGINT NOT NULL REFERENCES patient (id),
    source_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('allergy', 'medication', 'problem', 'immunisation', 'test_result',
        'consultation', 'document')),
    -- London date it was recorded, or for a result issued.
    recorded_on DATE NOT NULL,
    clinician TEXT,
    -- SNOMED CT code where it has one, and what it reads as.
    code TEXT,
    display TEXT NOT NULL,
    -- Problem: active or past; medicine: current or past, acute or repeat.
    status TEXT,
    -- Dosage, reaction, dose or body of a result.
    detail TEXT,
    value TEXT,
    unit TEXT,
    reference_range TEXT,
    abnormal BOOLEAN NOT NULL DEFAULT FALSE,
    -- Free text: notes, comments, a consultation's narrative.
    free_text TEXT,
    -- Results only: whether a clinician has filed it, and who.
    filed BOOLEAN NOT NULL DEFAULT TRUE,
    filed_by TEXT,
    filed_at TIMESTAMPTZ,
    -- Documents: the file as FHIR carries it (base64) and its type.
    content_type TEXT,
    content TEXT,
    hidden BOOLEAN NOT NULL DEFAULT FALSE,
    hidden_reason TEXT,
    -- Who hid it here (none when the clinical system restricted it), and when.
    hidden_by BIGINT REFERENCES login (id),
    hidden_at TIMESTAMPTZ,
    imported_at TIMESTAMPTZ NOT NULL,
    CONSTRAINT record_entry_source_key UNIQUE (practice_id, source_id)
);
CREATE INDEX record_entry_patient ON record_entry (practice_id, patient_id, kind, recorded_on);

-- "Who has looked at your record": a patient's views, newest first.
CREATE INDEX audit_event_object ON audit_event (practice_id, object_type, object_id, at);

-- Consent to share, as staff record it and the patient may read it: the
-- Summary Care Record's additional information, the practice sharing the
-- record out, and the practice seeing records held elsewhere. NULL: not
-- recorded.
CREATE TABLE patient_sharing (
    patient_id BIGINT PRIMARY KEY REFERENCES patient (id),
    practice_id BIGINT NOT NULL REFERENCES practice (id),
    scr_additional TEXT CHECK (scr_additional IN ('yes', 'no')),
    sharing_out TEXT CHECK (sharing_out IN ('yes', 'no')),
    sharing_in TEXT CHECK (sharing_in IN ('yes', 'no')),
    updated_by BIGINT NOT NULL REFERENCES login (id),
    updated_at TIMESTAMPTZ NOT NULL
);
