-- Correction complaints: filed by a citizen for someone in their household, routed to the
-- responsible site, due 48 hours after filing (paused while waiting for the citizen).
CREATE TABLE complaints (
    id               INTEGER PRIMARY KEY,
    reference        TEXT NOT NULL UNIQUE,
    person_id        INTEGER NOT NULL REFERENCES people (id),
    filed_by         INTEGER NOT NULL REFERENCES people (id),
    kind             TEXT NOT NULL CHECK (kind IN ('wrong_dose', 'personal_data', 'id_number', 'split_record', 'other')),
    dose_id          INTEGER REFERENCES doses (id),
    site_id          INTEGER NOT NULL REFERENCES sites (id),
    status           TEXT NOT NULL CHECK (status IN ('open', 'waiting_citizen', 'resolved', 'rejected', 'confirmed')),
    description      TEXT NOT NULL,
    filed_at         INTEGER NOT NULL,
    due_at           INTEGER NOT NULL,
    idempotency_key  TEXT NOT NULL UNIQUE
);
CREATE INDEX complaints_person ON complaints (person_id);
CREATE INDEX complaints_site_due ON complaints (site_id, status, due_at);

-- "Currently recorded" → "should be", field by field.
CREATE TABLE complaint_changes (
    complaint_id INTEGER NOT NULL REFERENCES complaints (id),
    field        TEXT NOT NULL CHECK (field IN ('full_name', 'birth_date', 'gender', 'national_id')),
    recorded     TEXT,
    requested    TEXT NOT NULL,
    PRIMARY KEY (complaint_id, field)
);

-- The timeline both sides see. Append-only.
CREATE TABLE complaint_events (
    id           INTEGER PRIMARY KEY,
    complaint_id INTEGER NOT NULL REFERENCES complaints (id),
    at           INTEGER NOT NULL,
    actor        TEXT NOT NULL CHECK (actor IN ('citizen', 'site', 'system')),
    kind         TEXT NOT NULL,
    site_id      INTEGER REFERENCES sites (id),
    message      TEXT
);
CREATE INDEX complaint_events_complaint ON complaint_events (complaint_id, at);
