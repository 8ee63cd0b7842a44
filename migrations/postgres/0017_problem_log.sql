-- Problems with the online services, reported by patients (or someone
-- acting for them) and staff, and what staff made of each.
CREATE TABLE problem_report (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    practice_id BIGINT NOT NULL REFERENCES practice (id),
    reported_by BIGINT NOT NULL REFERENCES login (id),
    reporter TEXT NOT NULL CHECK (reporter IN ('patient', 'staff')),
    what TEXT NOT NULL CHECK (length(what) BETWEEN 1 AND 2000),
    place TEXT NOT NULL CHECK (place IN ('signing_in', 'appointments', 'prescriptions', 'messages', 'record',
        'acting_for_someone', 'staff_area', 'elsewhere')),
    happened_on DATE NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('new', 'investigating', 'fixed', 'wont_fix')),
    reported_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX problem_report_practice ON problem_report (practice_id, reported_at);

CREATE TABLE problem_note (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    problem_id BIGINT NOT NULL REFERENCES problem_report (id),
    by_login BIGINT NOT NULL REFERENCES login (id),
    -- The status the problem was given with this note.
    status TEXT NOT NULL CHECK (status IN ('new', 'investigating', 'fixed', 'wont_fix')),
    note TEXT CHECK (length(note) BETWEEN 1 AND 2000),
    at TIMESTAMPTZ NOT NULL
);
CREATE INDEX problem_note_problem ON problem_note (problem_id, id);
