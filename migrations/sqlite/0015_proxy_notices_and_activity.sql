-- Notices of a change coming to a proxy grant (it narrows, is due for
-- review, stops at 16, ends), one per grant, change and day: the job that
-- sends them may run on several servers, and each notice goes once.
CREATE TABLE proxy_notice (
    grant_id INTEGER NOT NULL REFERENCES proxy_grant (id),
    change TEXT NOT NULL CHECK (change IN ('narrows', 'review_due', 'suspends', 'ends', 'ends_unused')),
    due_on TEXT NOT NULL,
    sent_at INTEGER NOT NULL,
    CONSTRAINT proxy_notice_once PRIMARY KEY (grant_id, change, due_on)
);

-- What proxies did for a patient, for the patient to read.
CREATE INDEX audit_event_acting_for ON audit_event (acting_for_patient_id, at)
    WHERE acting_for_patient_id IS NOT NULL;
