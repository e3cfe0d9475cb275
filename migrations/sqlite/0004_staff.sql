-- Staff of vaccination sites (and, later, supervisors and administrators).
CREATE TABLE staff (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    full_name     TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('site_staff', 'site_manager', 'supervisor', 'admin')),
    site_id       INTEGER REFERENCES sites (id),
    created_at    INTEGER NOT NULL
);

CREATE TABLE staff_sessions (
    id_hash      TEXT PRIMARY KEY,
    staff_id     INTEGER NOT NULL REFERENCES staff (id),
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
);

-- Every change to a person's record: who, when, because of which complaint, before and after.
-- Append-only: nothing updates or deletes these rows.
CREATE TABLE record_audit (
    id           INTEGER PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES people (id),
    complaint_id INTEGER REFERENCES complaints (id),
    staff_id     INTEGER NOT NULL REFERENCES staff (id),
    at           INTEGER NOT NULL,
    field        TEXT NOT NULL,
    before_value TEXT,
    after_value  TEXT
);
CREATE INDEX record_audit_person ON record_audit (person_id, at);
CREATE INDEX record_audit_complaint ON record_audit (complaint_id);
