@postgres -- PostgreSQL twin of ../sqlite/0008_access_version.sql: the same history.
-- A company's access version: bumped in the same transaction as every change that can change
-- what someone may do there (grants, reporting lines, teams, roles, members' status,
-- delegations, closing). Servers cache who a member is and what they may do under the
-- version they read first, so a change on one server is seen by the next request on any.
ALTER TABLE orgs ADD COLUMN access_version BIGINT NOT NULL DEFAULT 0;
