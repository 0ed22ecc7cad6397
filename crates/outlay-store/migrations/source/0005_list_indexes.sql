@postgres -- PostgreSQL twin of ../sqlite/0005_list_indexes.sql: the same history.
-- Newest-first pages of a company's members read one index range, whatever else the
-- database holds (the company's expenses already have expenses_org).
CREATE INDEX members_org ON members(org_id, id);
