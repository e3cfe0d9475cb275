-- Requested changes and audit rows keep values as stored (codes, ISO dates), never display
-- text: pages turn them into Vietnamese or English when they render. Rows written before this
-- held what a person reads ("05/03/1990", "Nam", "Mũi 2", a product's name, a sentence about a
-- dose); they are converted here. Both trees do the same, each in its own dialect.

-- dd/mm/yyyy -> yyyy-mm-dd, for birth dates and dates given.
UPDATE complaint_changes SET recorded = substr(recorded, 7, 4) || '-' || substr(recorded, 4, 2) || '-' || substr(recorded, 1, 2)
    WHERE field IN ('birth_date', 'given_on') AND recorded LIKE '__/__/____';
UPDATE complaint_changes SET requested = substr(requested, 7, 4) || '-' || substr(requested, 4, 2) || '-' || substr(requested, 1, 2)
    WHERE field IN ('birth_date', 'given_on') AND requested LIKE '__/__/____';
UPDATE record_audit SET before_value = substr(before_value, 7, 4) || '-' || substr(before_value, 4, 2) || '-' || substr(before_value, 1, 2)
    WHERE field IN ('birth_date', 'dose.given_on') AND before_value LIKE '__/__/____';
UPDATE record_audit SET after_value = substr(after_value, 7, 4) || '-' || substr(after_value, 4, 2) || '-' || substr(after_value, 1, 2)
    WHERE field IN ('birth_date', 'dose.given_on') AND after_value LIKE '__/__/____';

-- Genders.
UPDATE complaint_changes SET recorded = CASE recorded WHEN 'Nam' THEN 'M' WHEN 'Nữ' THEN 'F' ELSE recorded END WHERE field = 'gender';
UPDATE complaint_changes SET requested = CASE requested WHEN 'Nam' THEN 'M' WHEN 'Nữ' THEN 'F' ELSE requested END WHERE field = 'gender';
UPDATE record_audit SET before_value = CASE before_value WHEN 'Nam' THEN 'M' WHEN 'Nữ' THEN 'F' ELSE before_value END WHERE field = 'gender';
UPDATE record_audit SET after_value = CASE after_value WHEN 'Nam' THEN 'M' WHEN 'Nữ' THEN 'F' ELSE after_value END WHERE field = 'gender';

-- Which dose.
CREATE TEMPORARY TABLE dose_kind_labels (label TEXT PRIMARY KEY, code TEXT NOT NULL);
INSERT INTO dose_kind_labels (label, code) VALUES
    ('Mũi 1', '1'), ('Mũi 2', '2'), ('Mũi bổ sung', 'bs'), ('Mũi nhắc lại lần 1', 'n1'), ('Mũi nhắc lại lần 2', 'n2');
UPDATE complaint_changes SET recorded = (SELECT code FROM dose_kind_labels WHERE label = recorded)
    WHERE field = 'dose_kind' AND recorded IN (SELECT label FROM dose_kind_labels);
UPDATE complaint_changes SET requested = (SELECT code FROM dose_kind_labels WHERE label = requested)
    WHERE field = 'dose_kind' AND requested IN (SELECT label FROM dose_kind_labels);
UPDATE record_audit SET before_value = (SELECT code FROM dose_kind_labels WHERE label = before_value)
    WHERE field = 'dose.dose_kind' AND before_value IN (SELECT label FROM dose_kind_labels);
UPDATE record_audit SET after_value = (SELECT code FROM dose_kind_labels WHERE label = after_value)
    WHERE field = 'dose.dose_kind' AND after_value IN (SELECT label FROM dose_kind_labels);
DROP TABLE dose_kind_labels;

-- Vaccine products: name -> code.
UPDATE complaint_changes SET recorded = (SELECT code FROM vaccine_products WHERE name = recorded)
    WHERE field = 'product_code' AND recorded IN (SELECT name FROM vaccine_products);
UPDATE complaint_changes SET requested = (SELECT code FROM vaccine_products WHERE name = requested)
    WHERE field = 'product_code' AND requested IN (SELECT name FROM vaccine_products);
UPDATE record_audit SET before_value = (SELECT code FROM vaccine_products WHERE name = before_value)
    WHERE field = 'dose.product_code' AND before_value IN (SELECT name FROM vaccine_products);
UPDATE record_audit SET after_value = (SELECT code FROM vaccine_products WHERE name = after_value)
    WHERE field = 'dose.product_code' AND after_value IN (SELECT name FROM vaccine_products);

-- A dose added or removed was a sentence; it becomes the dose's stored values. A removed dose
-- cannot change after removal, so its row is exact; an added dose shows its values now (a
-- later edit of it has its own audit row).
UPDATE record_audit SET before_value = (
    SELECT json_build_object('dose_kind', d.dose_kind, 'given_on', d.given_on, 'product_code', d.product_code, 'lot', d.lot, 'site_id', d.site_id)::text
    FROM doses d WHERE d.id = record_audit.dose_id)
    WHERE field = 'dose_removed' AND before_value IS NOT NULL AND before_value NOT LIKE '{%' AND dose_id IS NOT NULL;
UPDATE record_audit SET after_value = (
    SELECT json_build_object('dose_kind', d.dose_kind, 'given_on', d.given_on, 'product_code', d.product_code, 'lot', d.lot, 'site_id', d.site_id)::text
    FROM doses d WHERE d.id = record_audit.dose_id)
    WHERE field = 'dose_added' AND after_value IS NOT NULL AND after_value NOT LIKE '{%' AND dose_id IS NOT NULL;
