-- The overdue audit counts every open complaint of the area by age (the whole country for the
-- ministry): with the filing time in the index the count reads the index alone, not each row
-- (300,000 complaints, 9,344 of them overdue, SQLite: 37 ms to 0.7 ms).
CREATE INDEX complaints_status_due_filed ON complaints (status, due_at, filed_at);
DROP INDEX complaints_status_due;
