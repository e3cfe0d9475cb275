-- How a certificate was approved: 'manager' (a site manager pressed sign), 'standing' (the
-- evening job, under a manager's standing approval), 'command' (`server sign-certificates`).
ALTER TABLE certificates ADD COLUMN approval TEXT NOT NULL DEFAULT 'manager';
-- When an account's password last changed: a standing approval given before it has lapsed.
ALTER TABLE staff ADD COLUMN password_changed_at BIGINT;
