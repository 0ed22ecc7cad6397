@postgres -- PostgreSQL twin of ../sqlite/0006_covering_indexes.sql: the same history.
-- A person's memberships (logging in, /me) without reading every company's members.
CREATE INDEX members_person ON members(person_id);
-- Newest-first walks over a company's expenses (all of them, or one status) check each
-- row's owner against the viewer's reach: the owner is in the index, so the walk never
-- reads the rows it passes over.
DROP INDEX expenses_org;
CREATE INDEX expenses_org ON expenses(org_id, id, owner_id);
DROP INDEX expenses_status;
CREATE INDEX expenses_status ON expenses(org_id, status, id, owner_id);
