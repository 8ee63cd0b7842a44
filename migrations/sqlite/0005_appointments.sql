-- Appointments: clinicians, session and slot types, rotas, sessions, slots,
-- bookings, and the practice's rules for booking online.

CREATE TABLE clinician (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practice (id),
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('gp', 'nurse', 'hca', 'pharmacist', 'physiotherapist', 'other')),
    bookable_online INTEGER NOT NULL DEFAULT 1 CHECK (bookable_online IN (0, 1)),
    UNIQUE (practice_id, name)
);

CREATE TABLE session_type (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practice (id),
    internal_name TEXT NOT NULL,
    patient_name TEXT NOT NULL,
    UNIQUE (practice_id, internal_name)
);

-- Internal names are what staff see in the rota; patients only ever see the
-- patient name and description.
CREATE TABLE slot_type (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practice (id),
    internal_name TEXT NOT NULL,
    patient_name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    channel TEXT NOT NULL CHECK (channel IN ('in_person', 'telephone', 'video')),
    category TEXT NOT NULL CHECK (category IN ('routine', 'same_day')),
    minutes INTEGER NOT NULL CHECK (minutes BETWEEN 5 AND 240),
    bookable_online INTEGER NOT NULL DEFAULT 0 CHECK (bookable_online IN (0, 1)),
    -- Held back until release_at_minute (London time) release_days before
    -- the slot's day; both NULL: bookable when created.
    release_days INTEGER CHECK (release_days BETWEEN 0 AND 90),
    release_at_minute INTEGER CHECK (release_at_minute BETWEEN 0 AND 1439),
    cap_count INTEGER CHECK (cap_count BETWEEN 1 AND 50),
    cap_days INTEGER CHECK (cap_days BETWEEN 1 AND 365),
    CHECK ((release_days IS NULL) = (release_at_minute IS NULL)),
    CHECK ((cap_count IS NULL) = (cap_days IS NULL)),
    UNIQUE (practice_id, internal_name)
);

-- A weekly pattern: every <weekday>, <clinician> works from start to end.
CREATE TABLE rota (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practice (id),
    clinician_id INTEGER NOT NULL REFERENCES clinician (id),
    session_type_id INTEGER NOT NULL REFERENCES session_type (id),
    slot_type_id INTEGER NOT NULL REFERENCES slot_type (id),
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
    end_minute INTEGER NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
    location TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    CHECK (end_minute > start_minute)
);

-- A clinic session: one clinician's block of appointments on one day (the
-- table named session holds sign-ins).
CREATE TABLE clinic_session (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practice (id),
    clinician_id INTEGER NOT NULL REFERENCES clinician (id),
    session_type_id INTEGER NOT NULL REFERENCES session_type (id),
    rota_id INTEGER REFERENCES rota (id),
    -- YYYY-MM-DD
    day TEXT NOT NULL,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    location TEXT NOT NULL,
    cancelled_at INTEGER,
    CHECK (ends_at > starts_at)
);
CREATE INDEX clinic_session_practice_day ON clinic_session (practice_id, day);
-- A rota generates a session for a day once, however often it is run.
CREATE UNIQUE INDEX clinic_session_rota_day ON clinic_session (rota_id, day) WHERE rota_id IS NOT NULL;

CREATE TABLE slot (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practice (id),
    clinic_session_id INTEGER NOT NULL REFERENCES clinic_session (id),
    slot_type_id INTEGER NOT NULL REFERENCES slot_type (id),
    clinician_id INTEGER NOT NULL REFERENCES clinician (id),
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    cancelled_at INTEGER,
    CHECK (ends_at > starts_at)
);
CREATE INDEX slot_practice_starts ON slot (practice_id, starts_at);
CREATE INDEX slot_clinic_session ON slot (clinic_session_id);

CREATE TABLE appointment (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practice (id),
    slot_id INTEGER NOT NULL REFERENCES slot (id),
    patient_id INTEGER NOT NULL REFERENCES patient (id),
    status TEXT NOT NULL CHECK (status IN ('booked', 'cancelled')),
    booked_by INTEGER REFERENCES login (id),
    booked_via TEXT NOT NULL CHECK (booked_via IN ('online', 'telephone', 'in_person')),
    booked_at INTEGER NOT NULL,
    cancelled_by INTEGER REFERENCES login (id),
    cancelled_via TEXT CHECK (cancelled_via IN ('online', 'telephone', 'in_person')),
    cancelled_at INTEGER,
    cancel_reason TEXT,
    CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL))
);
-- The guarantee against double booking: one active booking per slot, held
-- by the database whichever route the booking came through.
CREATE UNIQUE INDEX appointment_one_active_per_slot ON appointment (slot_id) WHERE status = 'booked';
CREATE INDEX appointment_patient ON appointment (patient_id, status);

CREATE TABLE booking_rules (
    practice_id INTEGER PRIMARY KEY REFERENCES practice (id),
    horizon_days INTEGER NOT NULL CHECK (horizon_days BETWEEN 1 AND 365),
    min_notice_minutes INTEGER NOT NULL CHECK (min_notice_minutes BETWEEN 0 AND 20160),
    max_future INTEGER CHECK (max_future BETWEEN 1 AND 50),
    min_age INTEGER CHECK (min_age BETWEEN 1 AND 25),
    cancel_cutoff_minutes INTEGER NOT NULL CHECK (cancel_cutoff_minutes BETWEEN 0 AND 20160),
    updated_at INTEGER NOT NULL
);
