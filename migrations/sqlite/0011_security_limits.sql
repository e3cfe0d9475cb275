-- Limits that protect accounts and codes, shared by every server on the database and kept
-- across restarts: failed lookups per person, codes sent per person, failed sign-ins per
-- account, complaints and uploads per person. One row per key and fixed window; the key is a
-- keyed hash, never the raw identifier or email. Housekeeping removes windows two days old.
CREATE TABLE limit_counters (
    bucket       TEXT NOT NULL,
    key_hash     TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    hits         INTEGER NOT NULL,
    PRIMARY KEY (bucket, key_hash, window_start)
);
CREATE INDEX limit_counters_age ON limit_counters (window_start);

-- A set-password email carries a link whose token is made when the message is delivered
-- and kept only as a hash: the outbox holds "{link}" and the account it is for.
ALTER TABLE outbox ADD COLUMN set_password_for INTEGER REFERENCES staff (id);
CREATE INDEX outbox_sent ON outbox (sent_at);
