-- Messages between patients and their practice: conversations (threads) of
-- messages, the practice's settings for them, its categories and its list of
-- red-flag phrases. Attachments, when they come, hang off `message`.

-- A practice's messaging settings; the defaults until it saves its own.
-- Opening hours for new conversations are London times, one "HH:MM-HH:MM"
-- or "" (closed) per day, Monday first, comma-separated (domain::messages).
CREATE TABLE message_settings (
    practice_id BIGINT PRIMARY KEY REFERENCES practice (id),
    enabled BOOLEAN NOT NULL DEFAULT TRUE,
    reply_promise TEXT NOT NULL,
    opening_hours TEXT NOT NULL,
    practice_daily_cap INTEGER CHECK (practice_daily_cap > 0),
    patient_daily_cap INTEGER CHECK (patient_daily_cap > 0),
    updated_at TIMESTAMPTZ NOT NULL
);

-- What a conversation is about, as the patient chooses it. A category no
-- longer offered keeps its old conversations.
CREATE TABLE message_category (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    practice_id BIGINT NOT NULL REFERENCES practice (id),
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    retired_at TIMESTAMPTZ,
    CONSTRAINT message_category_name_key UNIQUE (practice_id, name)
);

CREATE TABLE red_flag_phrase (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    practice_id BIGINT NOT NULL REFERENCES practice (id),
    phrase TEXT NOT NULL,
    CONSTRAINT red_flag_phrase_key UNIQUE (practice_id, phrase)
);

-- One patient's conversation with one practice. `version` moves on with each
-- assignment, so two members of staff assigning at once cannot both win.
CREATE TABLE message_thread (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    practice_id BIGINT NOT NULL REFERENCES practice (id),
    patient_id BIGINT NOT NULL REFERENCES patient (id),
    category_id BIGINT NOT NULL REFERENCES message_category (id),
    subject TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'waiting_for_patient', 'closed')),
    urgent BOOLEAN NOT NULL DEFAULT FALSE,
    red_flags TEXT NOT NULL DEFAULT '',
    assigned_login_id BIGINT REFERENCES login (id),
    assigned_team TEXT CHECK (assigned_team IN ('reception', 'clinicians', 'prescriptions')),
    version INTEGER NOT NULL DEFAULT 0,
    started_by BIGINT NOT NULL REFERENCES login (id),
    started_at TIMESTAMPTZ NOT NULL,
    last_message_at TIMESTAMPTZ NOT NULL,
    closed_at TIMESTAMPTZ,
    closed_by BIGINT REFERENCES login (id),
    outcome TEXT
);
CREATE INDEX message_thread_patient ON message_thread (practice_id, patient_id, last_message_at);
CREATE INDEX message_thread_inbox ON message_thread (practice_id, status, urgent, last_message_at);
CREATE INDEX message_thread_started ON message_thread (practice_id, started_at);

CREATE TABLE message (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    practice_id BIGINT NOT NULL REFERENCES practice (id),
    thread_id BIGINT NOT NULL REFERENCES message_thread (id),
    author_login_id BIGINT NOT NULL REFERENCES login (id),
    author_role TEXT NOT NULL CHECK (author_role IN ('patient', 'staff')),
    body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
    sent_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX message_in_thread ON message (thread_id, id);

-- How far each reader has read each conversation.
CREATE TABLE message_read (
    thread_id BIGINT NOT NULL REFERENCES message_thread (id),
    login_id BIGINT NOT NULL REFERENCES login (id),
    last_read_message_id BIGINT NOT NULL,
    read_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (thread_id, login_id)
);
