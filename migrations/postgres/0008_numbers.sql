-- The numbers: which areas each administrative unit lies in (itself, its parent, its
-- grandparent), so "people living in this province" is one indexed join; and the indexes
-- the per-area numbers and the overdue audit read. They cover every column those queries
-- use, so a province's year of complaints is read from the index alone.
CREATE TABLE unit_areas (
    area_code TEXT NOT NULL REFERENCES admin_units (code),
    unit_code TEXT NOT NULL REFERENCES admin_units (code),
    PRIMARY KEY (area_code, unit_code)
);
CREATE INDEX people_residence ON people (residence_unit);
-- Per site: received in a period (and time to first response), resolved in a period (on
-- time? reopened? time to resolution), open by deadline (overdue, at risk, age).
CREATE INDEX complaints_site_filed ON complaints (site_id, filed_at, first_response_at);
CREATE INDEX complaints_site_closed ON complaints (site_id, closed_at, due_at, filed_at, reopen_count);
DROP INDEX complaints_site_due;
CREATE INDEX complaints_site_status_due ON complaints (site_id, status, due_at, filed_at, paused_at);
-- The same for the whole country.
CREATE INDEX complaints_filed ON complaints (filed_at, first_response_at);
CREATE INDEX complaints_closed ON complaints (closed_at, due_at, filed_at, reopen_count);
