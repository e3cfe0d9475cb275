-- The 2025 reorganisation: which 2021 unit lies in which 2025 unit. Provinces merged whole,
-- so every 2021 province has exactly one successor; a 2025 commune kept the code of one of
-- the 2021 communes merged into it, so that commune has a successor too. The other 2021
-- communes need the official commune-by-commune table, which the bundled lists do not carry.
-- `site_areas` and `unit_areas` list each site and unit under the successors of its areas.
CREATE TABLE unit_successors (
    old_code TEXT NOT NULL REFERENCES admin_units (code),
    new_code TEXT NOT NULL REFERENCES admin_units (code),
    PRIMARY KEY (old_code, new_code)
);
