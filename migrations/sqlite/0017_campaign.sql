-- The clean-up campaign's station side (issue 11).
--
-- Candidates: the registry is searched by its folded name (name_key, written in Rust by whoever
-- writes the row, filled at start for older rows), by birth date and by phone.
ALTER TABLE registry_people ADD COLUMN name_key TEXT;
CREATE INDEX registry_people_name ON registry_people (name_key, birth_date);
CREATE INDEX registry_people_birth ON registry_people (birth_date);
CREATE INDEX registry_people_phone ON registry_people (phone);

-- One person split over two records, proposed by folded name and birth year: the retired record points at the one that carries its
-- doses now; nothing is deleted. A retired record is neither graded nor counted.
ALTER TABLE people ADD COLUMN merged_into INTEGER REFERENCES people (id);
CREATE INDEX people_name_key ON people (name_key, birth_date);
ALTER TABLE people ADD COLUMN merged_at INTEGER;
-- Two records a station said are not one person: never proposed again (lower id first).
CREATE TABLE not_same_person (
    first_id   INTEGER NOT NULL REFERENCES people (id),
    second_id  INTEGER NOT NULL REFERENCES people (id),
    staff_id   INTEGER NOT NULL REFERENCES staff (id),
    at         INTEGER NOT NULL,
    PRIMARY KEY (first_id, second_id),
    CHECK (first_id < second_id)
);

-- "Checked with the village team", with the team's note.
CREATE TABLE village_checks (
    id         INTEGER PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES people (id),
    staff_id   INTEGER NOT NULL REFERENCES staff (id),
    note       TEXT NOT NULL,
    at         INTEGER NOT NULL
);
CREATE INDEX village_checks_person ON village_checks (person_id);

-- Every change of a record's verification status, with what changed it: the campaign's
-- progress over time (records verified per week) and, later, the verification list.
CREATE TABLE verification_history (
    id         INTEGER PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES people (id),
    unit_code  TEXT NOT NULL,
    old_status TEXT,
    new_status TEXT NOT NULL,
    source     TEXT NOT NULL,
    at         INTEGER NOT NULL
);
CREATE INDEX verification_history_unit ON verification_history (unit_code, at);
CREATE INDEX verification_history_person ON verification_history (person_id);
