-- The station's worklist: residents and vaccinated people whose records the engine has not
-- verified, by group, searchable by name as staff say it (folded, i/y alike: `name_key`,
-- written by the engine with the verdict) and paged by id. Every record is graded again once
-- so the key is filled.
ALTER TABLE people ADD COLUMN name_key TEXT;
CREATE INDEX people_worklist ON people (residence_unit, quality, id);
UPDATE people SET verified_at = NULL;
