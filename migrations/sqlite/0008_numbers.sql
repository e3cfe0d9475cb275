-- The numbers: which areas each administrative unit lies in (itself, its parent, its
-- grandparent), so "people living in this province" is one indexed join; and the indexes
-- the per-area numbers use.
CREATE TABLE unit_areas (
    area_code TEXT NOT NULL REFERENCES admin_units (code),
    unit_code TEXT NOT NULL REFERENCES admin_units (code),
    PRIMARY KEY (area_code, unit_code)
);
CREATE INDEX people_residence ON people (residence_unit);
CREATE INDEX complaints_site_closed ON complaints (site_id, closed_at);
