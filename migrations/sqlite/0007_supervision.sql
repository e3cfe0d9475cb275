-- Supervision: supervisors scoped to an area, reminders at 24 and 36 hours, escalation at the
-- deadline (each recorded on the complaint, so it happens once, across restarts and servers),
-- and the areas each site lies in, for scope queries that use an index.
ALTER TABLE staff ADD COLUMN scope_unit TEXT REFERENCES admin_units (code);

ALTER TABLE complaints ADD COLUMN reminded_24_at INTEGER;
ALTER TABLE complaints ADD COLUMN reminded_36_at INTEGER;
ALTER TABLE complaints ADD COLUMN escalated_at INTEGER;
CREATE INDEX complaints_status_due ON complaints (status, due_at);

-- Every administrative unit a site lies in: its commune, district and province, in either
-- list. A supervisor scoped to a unit sees the sites listed under it here.
CREATE TABLE site_areas (
    unit_code TEXT NOT NULL REFERENCES admin_units (code),
    site_id   INTEGER NOT NULL REFERENCES sites (id),
    PRIMARY KEY (unit_code, site_id)
);
CREATE INDEX site_areas_site ON site_areas (site_id);
