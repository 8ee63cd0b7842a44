-- Repeat prescriptions: the practice's ordering rules, each patient's
-- ordering settings, their repeat medicines (kept by clinicians; shaped like
-- UK Core MedicationRequest with its repeat information), requests and one
-- timeline per requested item.

-- A practice's ordering rules; the defaults until it saves its own.
-- `handling` is "rule=block|flag" pairs, comma-separated (domain::prescriptions).
CREATE TABLE prescription_settings (
    practice_id BIGINT PRIMARY KEY REFERENCES practice (id),
    days_before_run_out INTEGER NOT NULL CHECK (days_before_run_out BETWEEN 0 AND 28),
    handling TEXT NOT NULL,
    note TEXT NOT NULL CHECK (note IN ('optional', 'required', 'off')),
    ready_in_working_days INTEGER NOT NULL CHECK (ready_in_working_days BETWEEN 1 AND 10),
    stopped_margin_days INTEGER NOT NULL CHECK (stopped_margin_days BETWEEN 0 AND 365),
    updated_at TIMESTAMPTZ NOT NULL
);

-- Per patient: whether they may order online (seed 001 §3.4; the reason is
-- for staff only), and their nominated pharmacy.
CREATE TABLE patient_prescribing (
    patient_id BIGINT PRIMARY KEY REFERENCES patient (id),
    practice_id BIGINT NOT NULL REFERENCES practice (id),
    ordering_allowed BOOLEAN NOT NULL DEFAULT TRUE,
    ordering_off_reason TEXT,
    pharmacy TEXT,
    updated_at TIMESTAMPTZ NOT NULL
);

-- A repeat medicine. `source_id` is the clinical system's id, so a second
-- import updates rather than duplicates. Hidden items never reach a patient.
CREATE TABLE repeat_item (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    practice_id BIGINT NOT NULL REFERENCES practice (id),
    patient_id BIGINT NOT NULL REFERENCES patient (id),
    source_id TEXT,
    medicine TEXT NOT NULL,
    form TEXT NOT NULL,
    strength TEXT NOT NULL,
    dosage TEXT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    unit TEXT NOT NULL,
    days_of_supply INTEGER NOT NULL CHECK (days_of_supply > 0),
    issues_authorised INTEGER CHECK (issues_authorised > 0),
    issues_issued INTEGER NOT NULL DEFAULT 0 CHECK (issues_issued >= 0),
    last_issued_on DATE,
    review_on DATE,
    authorised_until DATE,
    orderable_online BOOLEAN NOT NULL DEFAULT TRUE,
    not_orderable_reason TEXT,
    hidden BOOLEAN NOT NULL DEFAULT FALSE,
    hidden_reason TEXT,
    hidden_by BIGINT REFERENCES login (id),
    hidden_at TIMESTAMPTZ,
    ended_at TIMESTAMPTZ,
    CONSTRAINT repeat_item_source_key UNIQUE (practice_id, source_id)
);
CREATE INDEX repeat_item_patient ON repeat_item (practice_id, patient_id);

-- A patient's order. `order_key` comes from the order page, so the same
-- order sent twice (a double tap) is one request.
CREATE TABLE prescription_request (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    practice_id BIGINT NOT NULL REFERENCES practice (id),
    patient_id BIGINT NOT NULL REFERENCES patient (id),
    requested_by BIGINT NOT NULL REFERENCES login (id),
    order_key TEXT NOT NULL,
    note TEXT,
    pharmacy TEXT,
    thread_id BIGINT REFERENCES message_thread (id),
    requested_at TIMESTAMPTZ NOT NULL,
    expected_on DATE NOT NULL,
    version INTEGER NOT NULL DEFAULT 0,
    -- The clinician who last decided on it: named to a second one too late.
    decided_by BIGINT REFERENCES login (id),
    CONSTRAINT prescription_request_order_key UNIQUE (practice_id, order_key)
);
CREATE INDEX prescription_request_patient ON prescription_request (practice_id, patient_id, requested_at);
CREATE INDEX prescription_request_queue ON prescription_request (practice_id, requested_at);

-- One item of a request and where it stands now; `flags` are the rules
-- the clinician should see (domain::prescriptions::Rule, comma-separated).
CREATE TABLE prescription_request_item (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES prescription_request (id),
    repeat_item_id BIGINT NOT NULL REFERENCES repeat_item (id),
    status TEXT NOT NULL CHECK (status IN ('requested', 'in_review', 'approved', 'changed', 'rejected',
        'issued', 'ready_to_collect', 'sent_to_pharmacy', 'dispensed', 'cancelled')),
    flags TEXT NOT NULL DEFAULT '',
    quantity INTEGER CHECK (quantity > 0),
    reject_reason TEXT CHECK (reject_reason IN ('review_needed', 'too_early', 'medication_changed', 'other')),
    reject_text TEXT,
    updated_at TIMESTAMPTZ NOT NULL,
    CONSTRAINT prescription_request_item_key UNIQUE (request_id, repeat_item_id)
);
CREATE INDEX prescription_request_item_repeat ON prescription_request_item (repeat_item_id, status);

-- Each step of an item's timeline, in order.
CREATE TABLE prescription_item_event (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_item_id BIGINT NOT NULL REFERENCES prescription_request_item (id),
    status TEXT NOT NULL,
    by_login BIGINT REFERENCES login (id),
    at TIMESTAMPTZ NOT NULL
);
CREATE INDEX prescription_item_event_item ON prescription_item_event (request_item_id, id);
