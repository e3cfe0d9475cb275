-- Subject import (issue 12): a station's file of subjects with their corrected ID numbers, kept
-- as uploaded: the dry run and the apply read it from here.
CREATE TABLE subject_uploads (
    id          INTEGER PRIMARY KEY,
    site_id     INTEGER NOT NULL REFERENCES sites (id),
    staff_id    INTEGER NOT NULL REFERENCES staff (id),
    file_name   TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    content     BLOB NOT NULL,
    uploaded_at INTEGER NOT NULL,
    applied_at  INTEGER,
    applied_by  INTEGER REFERENCES staff (id),
    changed     INTEGER
);
CREATE INDEX subject_uploads_site ON subject_uploads (site_id);
