-- Data quality by cleaning group, kept by the database in the same transaction as every
-- change: each record's group (`people.quality`) and, per unit of residence, how many records
-- are in each group (`quality_counts`). Triggers on `people` and `registry_people` keep both
-- exact, whoever writes (a correction, an import, a seed), so an area's numbers are a sum over
-- its units, never a scan of its residents. Groups: no ID number; malformed ID; well-formed but
-- not in the registry; in the registry with a differing name, birth date or gender; matches.
ALTER TABLE people ADD COLUMN quality TEXT;
CREATE TABLE quality_counts (
    unit_code TEXT NOT NULL REFERENCES admin_units (code),
    quality   TEXT NOT NULL CHECK (quality IN ('no_id', 'malformed', 'not_in_registry', 'differs', 'matches')),
    people    INTEGER NOT NULL,
    PRIMARY KEY (unit_code, quality)
);

-- Each record's group, in one place: the backfill and the triggers below read it from here.
CREATE VIEW people_quality AS
SELECT p.id, CASE
    WHEN p.national_id IS NULL THEN 'no_id'
    WHEN p.national_id GLOB '*[^0-9]*' OR length(p.national_id) NOT IN (9, 12) THEN 'malformed'
    ELSE COALESCE((SELECT CASE WHEN r.full_name = p.full_name AND r.birth_date = p.birth_date AND r.gender = p.gender
                               THEN 'matches' ELSE 'differs' END
                   FROM registry_people r WHERE r.national_id = p.national_id), 'not_in_registry')
END AS quality
FROM people p;

UPDATE people SET quality = (SELECT v.quality FROM people_quality v WHERE v.id = people.id);
INSERT INTO quality_counts (unit_code, quality, people) SELECT residence_unit, quality, COUNT(*) FROM people WHERE TRUE GROUP BY residence_unit, quality;

CREATE TRIGGER people_quality_on_insert AFTER INSERT ON people BEGIN
    UPDATE people SET quality = (SELECT v.quality FROM people_quality v WHERE v.id = NEW.id) WHERE id = NEW.id;
END;

CREATE TRIGGER people_quality_on_update AFTER UPDATE OF national_id, full_name, birth_date, gender ON people BEGIN
    UPDATE people SET quality = (SELECT v.quality FROM people_quality v WHERE v.id = NEW.id) WHERE id = NEW.id;
END;

-- A registry entry appearing, changing or going away regrades the records carrying its number.
CREATE TRIGGER registry_quality_on_insert AFTER INSERT ON registry_people BEGIN
    UPDATE people SET quality = (SELECT v.quality FROM people_quality v WHERE v.id = people.id) WHERE national_id = NEW.national_id;
END;

CREATE TRIGGER registry_quality_on_update AFTER UPDATE ON registry_people BEGIN
    UPDATE people SET quality = (SELECT v.quality FROM people_quality v WHERE v.id = people.id)
    WHERE national_id IN (OLD.national_id, NEW.national_id);
END;

CREATE TRIGGER registry_quality_on_delete AFTER DELETE ON registry_people BEGIN
    UPDATE people SET quality = (SELECT v.quality FROM people_quality v WHERE v.id = people.id) WHERE national_id = OLD.national_id;
END;

-- The counts follow the groups (and moves between units).
CREATE TRIGGER people_quality_counted AFTER UPDATE OF quality, residence_unit ON people
WHEN OLD.quality IS NOT NEW.quality OR OLD.residence_unit IS NOT NEW.residence_unit BEGIN
    UPDATE quality_counts SET people = people - 1 WHERE unit_code = OLD.residence_unit AND quality = OLD.quality;
    INSERT INTO quality_counts (unit_code, quality, people) VALUES (NEW.residence_unit, NEW.quality, 1)
        ON CONFLICT (unit_code, quality) DO UPDATE SET people = people + 1;
END;

CREATE TRIGGER people_quality_uncounted AFTER DELETE ON people BEGIN
    UPDATE quality_counts SET people = people - 1 WHERE unit_code = OLD.residence_unit AND quality = OLD.quality;
END;
