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

-- The group of the `people` row being updated (the same expression in every trigger below).
UPDATE people SET quality = CASE
    WHEN people.national_id IS NULL THEN 'no_id'
    WHEN people.national_id GLOB '*[^0-9]*' OR length(people.national_id) NOT IN (9, 12) THEN 'malformed'
    ELSE COALESCE((SELECT CASE WHEN r.full_name = people.full_name AND r.birth_date = people.birth_date AND r.gender = people.gender
                               THEN 'matches' ELSE 'differs' END
                   FROM registry_people r WHERE r.national_id = people.national_id), 'not_in_registry')
END;
INSERT INTO quality_counts (unit_code, quality, people) SELECT residence_unit, quality, COUNT(*) FROM people WHERE TRUE GROUP BY residence_unit, quality;

CREATE TRIGGER people_quality_on_insert AFTER INSERT ON people BEGIN
    UPDATE people SET quality = CASE
        WHEN people.national_id IS NULL THEN 'no_id'
        WHEN people.national_id GLOB '*[^0-9]*' OR length(people.national_id) NOT IN (9, 12) THEN 'malformed'
        ELSE COALESCE((SELECT CASE WHEN r.full_name = people.full_name AND r.birth_date = people.birth_date AND r.gender = people.gender
                                   THEN 'matches' ELSE 'differs' END
                       FROM registry_people r WHERE r.national_id = people.national_id), 'not_in_registry')
    END WHERE id = NEW.id;
END;

CREATE TRIGGER people_quality_on_update AFTER UPDATE OF national_id, full_name, birth_date, gender ON people BEGIN
    UPDATE people SET quality = CASE
        WHEN people.national_id IS NULL THEN 'no_id'
        WHEN people.national_id GLOB '*[^0-9]*' OR length(people.national_id) NOT IN (9, 12) THEN 'malformed'
        ELSE COALESCE((SELECT CASE WHEN r.full_name = people.full_name AND r.birth_date = people.birth_date AND r.gender = people.gender
                                   THEN 'matches' ELSE 'differs' END
                       FROM registry_people r WHERE r.national_id = people.national_id), 'not_in_registry')
    END WHERE id = NEW.id;
END;

CREATE TRIGGER registry_quality_on_insert AFTER INSERT ON registry_people BEGIN
    UPDATE people SET quality = CASE
        WHEN people.national_id GLOB '*[^0-9]*' OR length(people.national_id) NOT IN (9, 12) THEN 'malformed'
        WHEN NEW.full_name = people.full_name AND NEW.birth_date = people.birth_date AND NEW.gender = people.gender THEN 'matches'
        ELSE 'differs'
    END WHERE national_id = NEW.national_id;
END;

CREATE TRIGGER registry_quality_on_update AFTER UPDATE ON registry_people BEGIN
    UPDATE people SET quality = CASE
        WHEN people.national_id IS NULL THEN 'no_id'
        WHEN people.national_id GLOB '*[^0-9]*' OR length(people.national_id) NOT IN (9, 12) THEN 'malformed'
        ELSE COALESCE((SELECT CASE WHEN r.full_name = people.full_name AND r.birth_date = people.birth_date AND r.gender = people.gender
                                   THEN 'matches' ELSE 'differs' END
                       FROM registry_people r WHERE r.national_id = people.national_id), 'not_in_registry')
    END WHERE national_id IN (OLD.national_id, NEW.national_id);
END;

CREATE TRIGGER registry_quality_on_delete AFTER DELETE ON registry_people BEGIN
    UPDATE people SET quality = CASE
        WHEN people.national_id GLOB '*[^0-9]*' OR length(people.national_id) NOT IN (9, 12) THEN 'malformed'
        ELSE 'not_in_registry'
    END WHERE national_id = OLD.national_id;
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
