-- A second factor for staff: a TOTP key (sealed with a key derived from APP_SECRET, so a copy
-- of the database alone does not hold it), the key being set up, the last time step used (a
-- code works once), single-use recovery codes kept as hashes, and sign-ins waiting for their
-- second step.
ALTER TABLE staff ADD COLUMN totp_secret TEXT;
ALTER TABLE staff ADD COLUMN totp_pending TEXT;
ALTER TABLE staff ADD COLUMN totp_last_step INTEGER;

CREATE TABLE staff_recovery_codes (
    staff_id  INTEGER NOT NULL REFERENCES staff (id),
    code_hash TEXT NOT NULL,
    used_at   INTEGER,
    PRIMARY KEY (staff_id, code_hash)
);

CREATE TABLE staff_pending_logins (
    token_hash TEXT PRIMARY KEY,
    staff_id   INTEGER NOT NULL REFERENCES staff (id),
    expires_at INTEGER NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0
);
