-- The verification list (danh sách xác minh thông tin, issue 12): who changed a record's status,
-- and the period's changes read by date.
ALTER TABLE verification_history ADD COLUMN staff_id INTEGER REFERENCES staff (id);
CREATE INDEX verification_history_at ON verification_history (at);
