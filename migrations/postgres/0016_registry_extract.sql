-- The registry stand-in holds what an extract of the National Population Database carries
-- (`server load-registry`): the commune of residence and a phone, beside name, birth date and
-- gender. Loaded by upsert on the ID number; a changed entry marks its records pending.
ALTER TABLE registry_people ADD COLUMN commune TEXT;
ALTER TABLE registry_people ADD COLUMN phone TEXT;
