-- The Excel round trip with the commune police (issue 12).
--
-- A numbered batch of a station's worklist goes to the commune police as a spreadsheet; each
-- row carries a hidden key so that the file can come back. A record is "with the commune police"
-- while it sits in a batch that has not come back.
CREATE TABLE police_batches (
    id          INTEGER PRIMARY KEY,
    site_id     INTEGER NOT NULL REFERENCES sites (id),
    number      INTEGER NOT NULL,
    created_by  INTEGER NOT NULL REFERENCES staff (id),
    created_at  INTEGER NOT NULL,
    row_count   INTEGER NOT NULL,
    -- When the signed list was imported (applied) for the first time.
    returned_at INTEGER,
    -- Written first by every apply: the apply of one file waits for the other's.
    applying_at INTEGER,
    UNIQUE (site_id, number)
);

CREATE TABLE police_batch_rows (
    batch_id   INTEGER NOT NULL REFERENCES police_batches (id),
    line       INTEGER NOT NULL,
    person_id  INTEGER NOT NULL REFERENCES people (id),
    row_key    TEXT NOT NULL UNIQUE,
    -- What the police wrote in their notes column, kept when the file is applied.
    police_note TEXT,
    PRIMARY KEY (batch_id, line)
);
CREATE INDEX police_batch_rows_person ON police_batch_rows (person_id);

-- A returned file as uploaded: the dry run is read from it, and apply reads it again (nothing
-- typed into a browser between the two). sha256 tells a file applied before.
CREATE TABLE police_uploads (
    id          INTEGER PRIMARY KEY,
    batch_id    INTEGER NOT NULL REFERENCES police_batches (id),
    staff_id    INTEGER NOT NULL REFERENCES staff (id),
    file_name   TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    content     BLOB NOT NULL,
    uploaded_at INTEGER NOT NULL,
    applied_at  INTEGER,
    applied_by  INTEGER REFERENCES staff (id),
    changed     INTEGER
);
CREATE INDEX police_uploads_batch ON police_uploads (batch_id);

-- Each change an import made names its batch.
ALTER TABLE record_audit ADD COLUMN batch_id INTEGER REFERENCES police_batches (id);
