-- Wrong second-step codes are counted per account (limit_counters, across servers and
-- restarts); past the allowance, no second step starts for the account until this moment.
ALTER TABLE staff ADD COLUMN second_step_locked_until INTEGER;
