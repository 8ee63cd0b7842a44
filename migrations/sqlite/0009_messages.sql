-- Messages between patients and their practice: conversations (threads) of
-- messages, the practice's settings for them, its categories and its list of
-- red-flag phrases. Attachments, when they come, hang off `message`.

-- A practice's messaging settings; the defaults until it saves its own.
-- Opening hours for new conversations are London times, one "HH:MM-HH:MM"
-- or "" (closed) per day, Monday first, comma-separated (domain::messages).
CREATE TABLE message_settings (
    practice_id INTEGER PRIMARY KEY REFERENCES practice (id),
    enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    reply_promise TEXT NOT NULL,
    opening_hours TEXT NOT NULL,
    practice_daily_cap INTEGER CHECK (practice_daily_cap > 0),
    patient_daily_cap INTEGER CHECK (patient_daily_cap > 0),
    updated_at INTEGER NOT NULL
);

-- What a conversation is about, as the patient chooses it. A category no
-- longer offered keeps its old conversations.
CREATE TABLE message_category (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practice (id),
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    retired_at INTEGER,
    CONSTRAINT message_category_name_key UNIQUE (practice_id, name)
);

CREATE TABLE red_flag_phrase (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practice (id),
    phrase TEXT NOT NULL,
    CONSTRAINT red_flag_phrase_key UNIQUE (practice_id, phrase)
);

-- One patient's conversation with one practice. `version` moves on with each
-- assignment, so two members of staff assigning at once cannot both win.
CREATE TABLE message_thread (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practice (id),
    patient_id INTEGER NOT NULL REFERENCES patient (id),
    category_id INTEGER NOT NULL REFERENCES message_category (id),
    subject TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'waiting_for_patient', 'closed')),
    urgent INTEGER NOT NULL DEFAULT 0 CHECK (urgent IN (0, 1)),
    red_flags TEXT NOT NULL DEFAULT '',
    assigned_login_id INTEGER REFERENCES login (id),
    assigned_team TEXT CHECK (assigned_team IN ('reception', 'clinicians', 'prescriptions')),
    version INTEGER NOT NULL DEFAULT 0,
    started_by INTEGER NOT NULL REFERENCES login (id),
    started_at INTEGER NOT NULL,
    last_message_at INTEGER NOT NULL,
    closed_at INTEGER,
    closed_by INTEGER REFERENCES login (id),
    outcome TEXT
);
CREATE INDEX message_thread_patient ON message_thread (practice_id, patient_id, last_message_at);
CREATE INDEX message_thread_inbox ON message_thread (practice_id, status, urgent, last_message_at);
CREATE INDEX message_thread_started ON message_thread (practice_id, started_at);

CREATE TABLE message (
    id INTEGER PRIMARY KEY,
    practice_id INTEGER NOT NULL REFERENCES practice (id),
    thread_id INTEGER NOT NULL REFERENCES message_thread (id),
    author_login_id INTEGER NOT NULL REFERENCES login (id),
    author_role TEXT NOT NULL CHECK (author_role IN ('patient', 'staff')),
    body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
    sent_at INTEGER NOT NULL
);
CREATE INDEX message_in_thread ON message (thread_id, id);

-- How far each reader has read each conversation.
CREATE TABLE message_read (
    thread_id INTEGER NOT NULL REFERENCES message_thread (id),
    login_id INTEGER NOT NULL REFERENCES login (id),
    last_read_message_id INTEGER NOT NULL,
    read_at INTEGER NOT NULL,
    PRIMARY KEY (thread_id, login_id)
);
