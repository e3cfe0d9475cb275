-- One verification status per record, computed by one engine (app/src/verification, in Rust:
-- names folded as the domain type folds them, IDs normalised before they are judged) and
-- stored beside the record: `quality` holds the status code, with the fields that differ, the
-- registry person it was verified against, when, and by which source. The SQL grading of
-- migration 0010 (exact comparison, a second opinion that could disagree with the record page)
-- is dropped; the database still keeps the counts per unit, and marks a record pending
-- (`verified_at` NULL) when its fields or its registry entry change, so nothing stays graded on
-- stale data. The portal re-verifies in the same transaction as its own writes; the server
-- grades whatever is pending at start and in housekeeping.
DROP TRIGGER people_quality_on_insert;
DROP TRIGGER people_quality_on_update;
DROP TRIGGER registry_quality_on_insert;
DROP TRIGGER registry_quality_on_update;
DROP TRIGGER registry_quality_on_delete;
DROP TRIGGER people_quality_counted;
DROP TRIGGER people_quality_uncounted;
DROP VIEW people_quality;

ALTER TABLE people ADD COLUMN verification_fields TEXT;
ALTER TABLE people ADD COLUMN verified_against TEXT;
ALTER TABLE people ADD COLUMN verified_at INTEGER;
ALTER TABLE people ADD COLUMN verified_by TEXT;
UPDATE people SET quality = NULL;
CREATE INDEX people_verification_pending ON people (id) WHERE verified_at IS NULL;

DROP TABLE quality_counts;
CREATE TABLE quality_counts (
    unit_code TEXT NOT NULL REFERENCES admin_units (code),
    quality   TEXT NOT NULL CHECK (quality IN ('verified', 'no_id', 'malformed_id', 'id_contradicts_record', 'not_in_registry', 'data_differs')),
    people    INTEGER NOT NULL,
    PRIMARY KEY (unit_code, quality)
);

-- A record's graded fields or its registry entry changed: pending until the engine runs.
CREATE TRIGGER people_verification_stale AFTER UPDATE OF national_id, full_name, birth_date, gender ON people BEGIN
    UPDATE people SET verified_at = NULL WHERE id = NEW.id;
END;
CREATE TRIGGER registry_verification_stale_on_insert AFTER INSERT ON registry_people BEGIN
    UPDATE people SET verified_at = NULL WHERE national_id = NEW.national_id;
END;
CREATE TRIGGER registry_verification_stale_on_update AFTER UPDATE ON registry_people BEGIN
    UPDATE people SET verified_at = NULL WHERE national_id IN (OLD.national_id, NEW.national_id) OR verified_against IN (OLD.national_id, NEW.national_id);
END;
CREATE TRIGGER registry_verification_stale_on_delete AFTER DELETE ON registry_people BEGIN
    UPDATE people SET verified_at = NULL WHERE national_id = OLD.national_id OR verified_against = OLD.national_id;
END;

-- The counts follow the statuses (and moves between units); a record not yet graded is not counted.
CREATE TRIGGER people_quality_counted AFTER UPDATE OF quality, residence_unit ON people
WHEN OLD.quality IS NOT NEW.quality OR OLD.residence_unit IS NOT NEW.residence_unit BEGIN
    UPDATE quality_counts SET people = people - 1 WHERE unit_code = OLD.residence_unit AND quality = OLD.quality;
    INSERT INTO quality_counts (unit_code, quality, people) SELECT NEW.residence_unit, NEW.quality, 1 WHERE NEW.quality IS NOT NULL
        ON CONFLICT (unit_code, quality) DO UPDATE SET people = people + 1;
END;
CREATE TRIGGER people_quality_counted_on_insert AFTER INSERT ON people WHEN NEW.quality IS NOT NULL BEGIN
    INSERT INTO quality_counts (unit_code, quality, people) VALUES (NEW.residence_unit, NEW.quality, 1)
        ON CONFLICT (unit_code, quality) DO UPDATE SET people = people + 1;
END;
CREATE TRIGGER people_quality_uncounted AFTER DELETE ON people BEGIN
    UPDATE quality_counts SET people = people - 1 WHERE unit_code = OLD.residence_unit AND quality = OLD.quality;
END;
