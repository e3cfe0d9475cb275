-- Vaccine certificates (issue 13): EU DCC, signed daily by the sites.
--
-- The EU value sets code each product three ways: vaccine-medicinal-product (dcc_mp, already
-- here), its marketing authorisation holder or manufacturer (dcc_ma) and the prophylaxis
-- (dcc_vp). Abdala's product code is "Abdala" (CIGB-66 is another name for it).
ALTER TABLE vaccine_products ADD COLUMN dcc_ma TEXT NOT NULL DEFAULT '';
ALTER TABLE vaccine_products ADD COLUMN dcc_vp TEXT NOT NULL DEFAULT 'J07BX03';
UPDATE vaccine_products SET dcc_ma = 'ORG-100001699' WHERE code = 'AZ';
UPDATE vaccine_products SET dcc_ma = 'ORG-100001981' WHERE code = 'CVS';
UPDATE vaccine_products SET dcc_ma = 'ORG-100030215', dcc_vp = '1119349007' WHERE code = 'PFZ';
UPDATE vaccine_products SET dcc_ma = 'ORG-100031184', dcc_vp = '1119349007' WHERE code = 'MOD';
UPDATE vaccine_products SET dcc_ma = 'ORG-100001417' WHERE code = 'JAN';
UPDATE vaccine_products SET dcc_ma = 'ORG-100020693' WHERE code = 'VERO';
UPDATE vaccine_products SET dcc_ma = 'Gamaleya-Research-Institute' WHERE code = 'SPV';
UPDATE vaccine_products SET dcc_ma = 'Bharat-Biotech' WHERE code = 'COVX';
UPDATE vaccine_products SET dcc_mp = 'Abdala', dcc_ma = 'CIGB' WHERE code = 'ABD';
UPDATE vaccine_products SET dcc_ma = 'ORG-100023050' WHERE code = 'HYT';

-- One signed certificate of a person's record. record_version is a hash of what was signed
-- (name, birth date, gender, ID, doses): a record whose version moved on is no longer the one
-- its certificate attests. A certificate is never deleted: it is revoked (with a reason code)
-- and, once the next signing has run, replaced.
CREATE TABLE certificates (
    id             INTEGER PRIMARY KEY,
    person_id      INTEGER NOT NULL REFERENCES people (id),
    uvci           TEXT NOT NULL UNIQUE,
    hc1            TEXT NOT NULL,
    kid            TEXT NOT NULL,
    record_version TEXT NOT NULL,
    -- The site that signed it (where the latest dose was given), who approved (NULL: the
    -- scheduled job signed what the site had approved), when.
    site_id        INTEGER NOT NULL REFERENCES sites (id),
    approved_by    INTEGER REFERENCES staff (id),
    issued_at      INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    revoked_at     INTEGER,
    revoked_reason TEXT,
    replaced_by    INTEGER REFERENCES certificates (id)
);
CREATE INDEX certificates_person ON certificates (person_id);
CREATE INDEX certificates_site ON certificates (site_id, issued_at);
CREATE INDEX certificates_revoked ON certificates (revoked_at);
