-- A site's standing approval of its daily signing (issue 13): once a member of the site has
-- approved it, the server's scheduled job signs the site's ready records every evening, in
-- that member's name. last_run_on (the Vietnam day, yyyy-mm-dd) is claimed by one server
-- before it signs, so several servers on one database sign a site once a day.
CREATE TABLE signing_schedules (
    site_id     BIGINT PRIMARY KEY REFERENCES sites (id),
    approved_by BIGINT NOT NULL REFERENCES staff (id),
    approved_at BIGINT NOT NULL,
    last_run_on TEXT
);
