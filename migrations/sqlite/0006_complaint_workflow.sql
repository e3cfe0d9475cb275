-- The complaint workflow: missing-dose complaints and dose fields, the clock paused while
-- waiting for the citizen, closing and reopening, evidence files, removed doses, staff
-- invitations. SQLite cannot change a CHECK constraint in place, so the complaint tables
-- are rebuilt: new tables are created and filled, the old ones dropped children first (so
-- no foreign key is ever left dangling, with enforcement on), and the new ones renamed,
-- which also renames the references to them.

CREATE TABLE complaints_new (
    id                INTEGER PRIMARY KEY,
    reference         TEXT NOT NULL UNIQUE,
    person_id         INTEGER NOT NULL REFERENCES people (id),
    filed_by          INTEGER NOT NULL REFERENCES people (id),
    kind              TEXT NOT NULL CHECK (kind IN ('missing_dose', 'wrong_dose', 'personal_data', 'id_number', 'split_record', 'other')),
    dose_id           INTEGER REFERENCES doses (id),
    site_id           INTEGER NOT NULL REFERENCES sites (id),
    status            TEXT NOT NULL CHECK (status IN ('open', 'waiting_citizen', 'resolved', 'rejected', 'confirmed')),
    description       TEXT NOT NULL,
    filed_at          INTEGER NOT NULL,
    -- Moves later by the time spent waiting for the citizen, never by a reassignment.
    due_at            INTEGER NOT NULL,
    -- Set while waiting for the citizen's answer: the clock is stopped.
    paused_at         INTEGER,
    first_response_at INTEGER,
    closed_at         INTEGER,
    reopen_count      INTEGER NOT NULL DEFAULT 0,
    idempotency_key   TEXT NOT NULL UNIQUE
);
INSERT INTO complaints_new (id, reference, person_id, filed_by, kind, dose_id, site_id, status, description, filed_at, due_at, idempotency_key)
    SELECT id, reference, person_id, filed_by, kind, dose_id, site_id, status, description, filed_at, due_at, idempotency_key FROM complaints;
UPDATE complaints_new SET closed_at = filed_at WHERE status IN ('resolved', 'rejected', 'confirmed');

CREATE TABLE complaint_changes_new (
    complaint_id INTEGER NOT NULL REFERENCES complaints_new (id),
    field        TEXT NOT NULL CHECK (field IN ('full_name', 'birth_date', 'gender', 'national_id', 'dose_kind', 'given_on', 'product_code', 'lot')),
    recorded     TEXT,
    requested    TEXT NOT NULL,
    PRIMARY KEY (complaint_id, field)
);
INSERT INTO complaint_changes_new SELECT complaint_id, field, recorded, requested FROM complaint_changes;

CREATE TABLE complaint_events_new (
    id           INTEGER PRIMARY KEY,
    complaint_id INTEGER NOT NULL REFERENCES complaints_new (id),
    at           INTEGER NOT NULL,
    actor        TEXT NOT NULL CHECK (actor IN ('citizen', 'site', 'supervisor', 'system')),
    kind         TEXT NOT NULL,
    site_id      INTEGER REFERENCES sites (id),
    staff_id     INTEGER REFERENCES staff (id),
    message      TEXT
);
INSERT INTO complaint_events_new (id, complaint_id, at, actor, kind, site_id, message)
    SELECT id, complaint_id, at, actor, kind, site_id, message FROM complaint_events;

CREATE TABLE record_audit_new (
    id           INTEGER PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES people (id),
    complaint_id INTEGER REFERENCES complaints_new (id),
    staff_id     INTEGER NOT NULL REFERENCES staff (id),
    at           INTEGER NOT NULL,
    field        TEXT NOT NULL,
    -- The dose added, changed or removed, for dose edits.
    dose_id      INTEGER REFERENCES doses (id),
    before_value TEXT,
    after_value  TEXT
);
INSERT INTO record_audit_new (id, person_id, complaint_id, staff_id, at, field, before_value, after_value)
    SELECT id, person_id, complaint_id, staff_id, at, field, before_value, after_value FROM record_audit;

DROP TABLE record_audit;
DROP TABLE complaint_events;
DROP TABLE complaint_changes;
DROP TABLE complaints;
ALTER TABLE complaints_new RENAME TO complaints;
ALTER TABLE complaint_changes_new RENAME TO complaint_changes;
ALTER TABLE complaint_events_new RENAME TO complaint_events;
ALTER TABLE record_audit_new RENAME TO record_audit;
CREATE INDEX complaints_person ON complaints (person_id);
CREATE INDEX complaints_site_due ON complaints (site_id, status, due_at);
CREATE INDEX complaint_events_complaint ON complaint_events (complaint_id, at);
CREATE INDEX record_audit_person ON record_audit (person_id, at);
CREATE INDEX record_audit_complaint ON record_audit (complaint_id);

-- Photos and PDFs of vaccination cards. complaint_id is NULL while the form they came with
-- has not been filed yet (a rejected submission keeps its files under form_key).
CREATE TABLE evidence (
    id           INTEGER PRIMARY KEY,
    token        TEXT NOT NULL UNIQUE,
    complaint_id INTEGER REFERENCES complaints (id),
    form_key     TEXT,
    uploaded_by  INTEGER NOT NULL REFERENCES people (id),
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp', 'application/pdf')),
    size_bytes   INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    content      BLOB NOT NULL,
    uploaded_at  INTEGER NOT NULL
);
CREATE INDEX evidence_complaint ON evidence (complaint_id);
CREATE INDEX evidence_form ON evidence (form_key);

-- A dose removed by a correction stays, marked, so the audit trail can show it.
ALTER TABLE doses ADD COLUMN removed_at INTEGER;

ALTER TABLE staff ADD COLUMN disabled_at INTEGER;
-- A link to set a password, sent to new staff by their site manager.
CREATE TABLE staff_invites (
    token_hash TEXT PRIMARY KEY,
    staff_id   INTEGER NOT NULL REFERENCES staff (id),
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
