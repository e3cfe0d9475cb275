-- Administrative units from both lists (before and after the 1/7/2025 reorganisation) as one
-- tree with validity periods. Codes are prefixed with the list year: 2021-P-031, 2025-W-00070.
CREATE TABLE admin_units (
    code        TEXT PRIMARY KEY,
    level       TEXT NOT NULL CHECK (level IN ('province', 'district', 'commune')),
    name        TEXT NOT NULL,
    unit_type   TEXT NOT NULL,
    parent_code TEXT REFERENCES admin_units (code),
    valid_from  TEXT NOT NULL,
    valid_to    TEXT
);
CREATE INDEX admin_units_parent ON admin_units (parent_code);

CREATE TABLE vaccine_products (
    code         TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    manufacturer TEXT NOT NULL,
    dcc_mp       TEXT NOT NULL
);

CREATE TABLE sites (
    id        INTEGER PRIMARY KEY,
    code      TEXT NOT NULL UNIQUE,
    name      TEXT NOT NULL,
    site_type TEXT NOT NULL CHECK (site_type IN ('commune_station', 'district_centre', 'hospital', 'provincial_cdc', 'ministry_unit', 'mobile_team')),
    unit_code TEXT NOT NULL REFERENCES admin_units (code)
);
CREATE INDEX sites_unit ON sites (unit_code);

-- A person as recorded on the vaccination platform. national_id is kept as recorded, even when
-- malformed: finding and fixing those is the point of the portal. NULL means no ID on record.
CREATE TABLE people (
    id             INTEGER PRIMARY KEY,
    national_id    TEXT,
    full_name      TEXT NOT NULL,
    birth_date     TEXT NOT NULL,
    gender         TEXT NOT NULL CHECK (gender IN ('M', 'F')),
    phone          TEXT,
    email          TEXT,
    residence_unit TEXT NOT NULL REFERENCES admin_units (code),
    guardian_id    INTEGER REFERENCES people (id)
);
CREATE INDEX people_national_id ON people (national_id);
CREATE INDEX people_phone ON people (phone);
CREATE INDEX people_email ON people (email);
CREATE INDEX people_guardian ON people (guardian_id);

CREATE TABLE doses (
    id           INTEGER PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES people (id),
    dose_kind    TEXT NOT NULL CHECK (dose_kind IN ('1', '2', 'bs', 'n1', 'n2')),
    given_on     TEXT NOT NULL,
    product_code TEXT NOT NULL REFERENCES vaccine_products (code),
    lot          TEXT NOT NULL,
    site_id      INTEGER NOT NULL REFERENCES sites (id)
);
CREATE INDEX doses_person ON doses (person_id);
CREATE INDEX doses_site ON doses (site_id);

-- Stands in for the National Population Database (CSDL quốc gia về dân cư), read through the
-- PopulationRegistry trait so a real registry service can replace it.
CREATE TABLE registry_people (
    national_id    TEXT PRIMARY KEY,
    full_name      TEXT NOT NULL,
    birth_date     TEXT NOT NULL,
    gender         TEXT NOT NULL CHECK (gender IN ('M', 'F'))
);

-- A self-lookup waiting for its one-time code. person_id is NULL when nothing matched: the
-- row exists all the same so the answer reads the same.
CREATE TABLE lookups (
    id_hash     TEXT PRIMARY KEY,
    person_id   INTEGER REFERENCES people (id),
    code_hash   TEXT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER
);

CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES people (id),
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
);
