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
    people    BIGINT NOT NULL,
    PRIMARY KEY (unit_code, quality)
);

CREATE FUNCTION person_quality(nid TEXT, name TEXT, birth TEXT, sex TEXT) RETURNS TEXT
LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN nid IS NULL THEN 'no_id'
        WHEN nid !~ '^[0-9]{9}([0-9]{3})?$' THEN 'malformed'
        ELSE COALESCE((SELECT CASE WHEN r.full_name = name AND r.birth_date = birth AND r.gender = sex THEN 'matches' ELSE 'differs' END
                       FROM registry_people r WHERE r.national_id = nid), 'not_in_registry')
    END
$$;

UPDATE people SET quality = person_quality(national_id, full_name, birth_date, gender);
INSERT INTO quality_counts (unit_code, quality, people) SELECT residence_unit, quality, COUNT(*) FROM people GROUP BY residence_unit, quality;

CREATE FUNCTION people_quality() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.quality := person_quality(NEW.national_id, NEW.full_name, NEW.birth_date, NEW.gender);
    RETURN NEW;
END
$$;
CREATE TRIGGER people_quality BEFORE INSERT OR UPDATE OF national_id, full_name, birth_date, gender ON people
    FOR EACH ROW EXECUTE FUNCTION people_quality();

CREATE FUNCTION registry_quality() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE people SET quality = person_quality(national_id, full_name, birth_date, gender) WHERE national_id = OLD.national_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE people SET quality = person_quality(national_id, full_name, birth_date, gender) WHERE national_id = NEW.national_id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER registry_quality AFTER INSERT OR UPDATE OR DELETE ON registry_people
    FOR EACH ROW EXECUTE FUNCTION registry_quality();

-- The counts follow the groups (and moves between units).
CREATE FUNCTION quality_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.quality IS NOT DISTINCT FROM NEW.quality AND OLD.residence_unit = NEW.residence_unit THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE quality_counts SET people = people - 1 WHERE unit_code = OLD.residence_unit AND quality = OLD.quality;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO quality_counts (unit_code, quality, people) VALUES (NEW.residence_unit, NEW.quality, 1)
            ON CONFLICT (unit_code, quality) DO UPDATE SET people = quality_counts.people + 1;
    END IF;
    RETURN NULL;
END
$$;
-- On every UPDATE: a column list would miss a group changed by the BEFORE trigger above.
CREATE TRIGGER quality_counted AFTER INSERT OR UPDATE OR DELETE ON people
    FOR EACH ROW EXECUTE FUNCTION quality_counted();
