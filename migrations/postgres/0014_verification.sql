-- One verification status per record, computed by one engine (app/src/verification, in Rust:
-- names folded as the domain type folds them, IDs normalised before they are judged) and
-- stored beside the record: `quality` holds the status code, with the fields that differ, the
-- registry person it was verified against, when, and by which source. The SQL grading of
-- migration 0010 (exact comparison, a second opinion that could disagree with the record page)
-- is dropped; the database still keeps the counts per unit, and marks a record pending
-- (`verified_at` NULL) when its fields or its registry entry change, so nothing stays graded on
-- stale data. The portal re-verifies in the same transaction as its own writes; the server
-- grades whatever is pending at start and in housekeeping.
DROP TRIGGER people_quality ON people;
DROP TRIGGER registry_quality ON registry_people;
DROP TRIGGER quality_counted ON people;
DROP FUNCTION people_quality();
DROP FUNCTION registry_quality();
DROP FUNCTION person_quality(TEXT, TEXT, TEXT, TEXT);
DROP FUNCTION quality_counted();

ALTER TABLE people ADD COLUMN verification_fields TEXT;
ALTER TABLE people ADD COLUMN verified_against TEXT;
ALTER TABLE people ADD COLUMN verified_at BIGINT;
ALTER TABLE people ADD COLUMN verified_by TEXT;
UPDATE people SET quality = NULL;
CREATE INDEX people_verification_pending ON people (id) WHERE verified_at IS NULL;

DROP TABLE quality_counts;
CREATE TABLE quality_counts (
    unit_code TEXT NOT NULL REFERENCES admin_units (code),
    quality   TEXT NOT NULL CHECK (quality IN ('verified', 'no_id', 'malformed_id', 'id_contradicts_record', 'not_in_registry', 'data_differs')),
    people    BIGINT NOT NULL,
    PRIMARY KEY (unit_code, quality)
);

-- A record's graded fields or its registry entry changed: pending until the engine runs.
CREATE FUNCTION people_verification_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.verified_at := NULL;
    RETURN NEW;
END
$$;
CREATE TRIGGER people_verification_stale BEFORE UPDATE OF national_id, full_name, birth_date, gender ON people
    FOR EACH ROW EXECUTE FUNCTION people_verification_stale();

CREATE FUNCTION registry_verification_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE people SET verified_at = NULL WHERE national_id = OLD.national_id OR verified_against = OLD.national_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE people SET verified_at = NULL WHERE national_id = NEW.national_id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER registry_verification_stale AFTER INSERT OR UPDATE OR DELETE ON registry_people
    FOR EACH ROW EXECUTE FUNCTION registry_verification_stale();

-- The counts follow the statuses (and moves between units); a record not yet graded is not counted.
CREATE FUNCTION quality_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.quality IS NOT DISTINCT FROM NEW.quality AND OLD.residence_unit = NEW.residence_unit THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.quality IS NOT NULL THEN
        UPDATE quality_counts SET people = people - 1 WHERE unit_code = OLD.residence_unit AND quality = OLD.quality;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.quality IS NOT NULL THEN
        INSERT INTO quality_counts (unit_code, quality, people) VALUES (NEW.residence_unit, NEW.quality, 1)
            ON CONFLICT (unit_code, quality) DO UPDATE SET people = quality_counts.people + 1;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER quality_counted AFTER INSERT OR UPDATE OR DELETE ON people
    FOR EACH ROW EXECUTE FUNCTION quality_counted();
