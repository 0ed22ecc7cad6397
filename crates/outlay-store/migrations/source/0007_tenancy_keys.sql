@postgres -- PostgreSQL twin of ../sqlite/0007_tenancy_keys.sql: the same history.
-- Tenancy in the schema: a company-owned row points only at rows of its own company. Each
-- reference to a member or a team carries the company, (org_id, x_id) -> (org_id, id), so no
-- handler, however wrong, can tie a row of one company to a member or team of another.
-- References to orgs and to persons (who belong to no company) stay single-column.
@sqlite {
--
-- SQLite cannot alter a constraint, so members and every table pointing at members or teams
-- is rebuilt: same columns in the same order, same defaults and CHECKs, same indexes. The
-- order matters because foreign keys stay on (sqlx runs this in a transaction, where
-- `PRAGMA foreign_keys` cannot change):
--   1. members_new is built first and the new children point at it, so dropping an old
--      child touches nothing, and dropping the old members finds no child but itself;
--   2. renaming members_new to members rewrites every reference to it (SQLite >= 3.26).
-- Deferred checks let a member be copied before their manager; the deferred count is back
-- to zero once every member is in, and copying a child checks each row against its
-- company's members, so a row pointing into another company fails the migration at commit.
-- Every copy is one INSERT ... SELECT; indexes not needed by the checks are built after it.
PRAGMA defer_foreign_keys = ON;

CREATE UNIQUE INDEX teams_org ON teams(org_id, id);

-- members_org (org_id, id) served the members' pages; the unique key takes its name and its
-- place. The old table's indexes go first so the new ones can take their names.
DROP INDEX members_manager;
DROP INDEX members_external_id;
DROP INDEX members_org;
DROP INDEX members_person;
CREATE TABLE members_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id       BIGINT NOT NULL REFERENCES orgs(id),
    person_id    BIGINT NOT NULL REFERENCES persons(id),
    name         TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('invited', 'active', 'archived')),
    manager_id   BIGINT,
    created_at   BIGINT NOT NULL,
    archived_at  BIGINT,
    kind         TEXT NOT NULL DEFAULT 'internal' CHECK (kind IN ('internal', 'external')),
    external_id  TEXT,
    UNIQUE (org_id, person_id),
    FOREIGN KEY (org_id, manager_id) REFERENCES members_new(org_id, id)
);
-- Both before the copy: the manager check looks members up by (org_id, id), and a deferred
-- violation, while open, makes every inserted member look for their reports.
CREATE UNIQUE INDEX members_org ON members_new(org_id, id);
CREATE INDEX members_manager ON members_new(org_id, manager_id);
INSERT INTO members_new (id, org_id, person_id, name, status, manager_id, created_at,
                         archived_at, kind, external_id)
SELECT id, org_id, person_id, name, status, manager_id, created_at, archived_at, kind,
       external_id
FROM members;
-- AUTOINCREMENT never hands out an id again, even one whose row is gone: keep the counter.
DELETE FROM sqlite_sequence WHERE name = 'members_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'members_new', seq FROM sqlite_sequence WHERE name = 'members';

CREATE TABLE invitations_new (
    token_hash   TEXT PRIMARY KEY,
    org_id       BIGINT NOT NULL REFERENCES orgs(id),
    member_id    BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    accepted_at  BIGINT,
    FOREIGN KEY (org_id, member_id) REFERENCES members_new(org_id, id)
);
INSERT INTO invitations_new (token_hash, org_id, member_id, created_at, expires_at, accepted_at)
SELECT token_hash, org_id, member_id, created_at, expires_at, accepted_at FROM invitations;
DROP TABLE invitations;
ALTER TABLE invitations_new RENAME TO invitations;

CREATE TABLE team_members_new (
    org_id     BIGINT NOT NULL REFERENCES orgs(id),
    team_id    BIGINT NOT NULL,
    member_id  BIGINT NOT NULL,
    PRIMARY KEY (team_id, member_id),
    FOREIGN KEY (org_id, team_id) REFERENCES teams(org_id, id),
    FOREIGN KEY (org_id, member_id) REFERENCES members_new(org_id, id)
);
INSERT INTO team_members_new (org_id, team_id, member_id)
SELECT org_id, team_id, member_id FROM team_members;
DROP TABLE team_members;
ALTER TABLE team_members_new RENAME TO team_members;
CREATE INDEX team_members_member ON team_members(org_id, member_id);
CREATE INDEX team_members_team ON team_members(org_id, team_id, member_id);

CREATE TABLE grants_new (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id            BIGINT NOT NULL REFERENCES orgs(id),
    member_id         BIGINT NOT NULL,
    role              TEXT NOT NULL,
    team_id           BIGINT,
    valid_from        BIGINT,
    valid_until       BIGINT,
    created_at        BIGINT NOT NULL,
    max_amount_minor  BIGINT CHECK (max_amount_minor IS NULL OR max_amount_minor >= 0),
    self_issue        BOOLEAN,
    groups_off        INTEGER NOT NULL DEFAULT 0,
    FOREIGN KEY (org_id, member_id) REFERENCES members_new(org_id, id),
    FOREIGN KEY (org_id, team_id) REFERENCES teams(org_id, id)
);
INSERT INTO grants_new (id, org_id, member_id, role, team_id, valid_from, valid_until,
                        created_at, max_amount_minor, self_issue, groups_off)
SELECT id, org_id, member_id, role, team_id, valid_from, valid_until, created_at,
       max_amount_minor, self_issue, groups_off
FROM grants;
DELETE FROM sqlite_sequence WHERE name = 'grants_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'grants_new', seq FROM sqlite_sequence WHERE name = 'grants';
DROP TABLE grants;
ALTER TABLE grants_new RENAME TO grants;
CREATE INDEX grants_member ON grants(org_id, member_id);

CREATE TABLE expenses_new (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id                BIGINT NOT NULL REFERENCES orgs(id),
    owner_id              BIGINT NOT NULL,
    amount_minor          BIGINT NOT NULL CHECK (amount_minor > 0),
    currency              TEXT NOT NULL,
    merchant              TEXT NOT NULL,
    spent_on              TEXT NOT NULL,
    category              TEXT NOT NULL,
    note                  TEXT,
    status                TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'rejected')),
    created_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL,
    submitted_at          BIGINT,
    decided_by            BIGINT,
    decided_at            BIGINT,
    reject_reason         TEXT,
    decided_on_behalf_of  BIGINT,
    override_reason       TEXT,
    FOREIGN KEY (org_id, owner_id) REFERENCES members_new(org_id, id),
    FOREIGN KEY (org_id, decided_by) REFERENCES members_new(org_id, id),
    FOREIGN KEY (org_id, decided_on_behalf_of) REFERENCES members_new(org_id, id)
);
INSERT INTO expenses_new (id, org_id, owner_id, amount_minor, currency, merchant, spent_on,
                          category, note, status, created_at, updated_at, submitted_at,
                          decided_by, decided_at, reject_reason, decided_on_behalf_of,
                          override_reason)
SELECT id, org_id, owner_id, amount_minor, currency, merchant, spent_on, category, note,
       status, created_at, updated_at, submitted_at, decided_by, decided_at, reject_reason,
       decided_on_behalf_of, override_reason
FROM expenses;
DELETE FROM sqlite_sequence WHERE name = 'expenses_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'expenses_new', seq FROM sqlite_sequence WHERE name = 'expenses';
DROP TABLE expenses;
ALTER TABLE expenses_new RENAME TO expenses;
-- As 0006 left them.
CREATE INDEX expenses_org ON expenses(org_id, id, owner_id);
CREATE INDEX expenses_owner ON expenses(org_id, owner_id, id);
CREATE INDEX expenses_status ON expenses(org_id, status, id, owner_id);
CREATE INDEX expenses_owner_status ON expenses(org_id, owner_id, status, id);

CREATE TABLE delegations_new (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id        BIGINT NOT NULL REFERENCES orgs(id),
    delegator_id  BIGINT NOT NULL,
    delegate_id   BIGINT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('approve', 'submit')),
    valid_from    BIGINT NOT NULL,
    valid_until   BIGINT NOT NULL,
    created_by    BIGINT NOT NULL,
    created_at    BIGINT NOT NULL,
    ended_at      BIGINT,
    ended_by      BIGINT,
    CHECK (valid_until > valid_from),
    CHECK (delegator_id <> delegate_id),
    FOREIGN KEY (org_id, delegator_id) REFERENCES members_new(org_id, id),
    FOREIGN KEY (org_id, delegate_id) REFERENCES members_new(org_id, id),
    FOREIGN KEY (org_id, created_by) REFERENCES members_new(org_id, id),
    FOREIGN KEY (org_id, ended_by) REFERENCES members_new(org_id, id)
);
INSERT INTO delegations_new (id, org_id, delegator_id, delegate_id, kind, valid_from,
                             valid_until, created_by, created_at, ended_at, ended_by)
SELECT id, org_id, delegator_id, delegate_id, kind, valid_from, valid_until, created_by,
       created_at, ended_at, ended_by
FROM delegations;
DELETE FROM sqlite_sequence WHERE name = 'delegations_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'delegations_new', seq FROM sqlite_sequence WHERE name = 'delegations';
DROP TABLE delegations;
ALTER TABLE delegations_new RENAME TO delegations;
CREATE INDEX delegations_delegate ON delegations(org_id, delegate_id);
CREATE INDEX delegations_delegator ON delegations(org_id, delegator_id);

CREATE TABLE role_requests_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id          BIGINT NOT NULL REFERENCES orgs(id),
    member_id       BIGINT NOT NULL,
    role            TEXT NOT NULL,
    team_id         BIGINT,
    reason          TEXT NOT NULL,
    valid_from      BIGINT,
    valid_until     BIGINT,
    status          TEXT NOT NULL CHECK (status IN ('open', 'approved', 'declined')),
    created_at      BIGINT NOT NULL,
    decided_by      BIGINT,
    decided_at      BIGINT,
    decline_reason  TEXT,
    FOREIGN KEY (org_id, member_id) REFERENCES members_new(org_id, id),
    FOREIGN KEY (org_id, team_id) REFERENCES teams(org_id, id),
    FOREIGN KEY (org_id, decided_by) REFERENCES members_new(org_id, id)
);
INSERT INTO role_requests_new (id, org_id, member_id, role, team_id, reason, valid_from,
                               valid_until, status, created_at, decided_by, decided_at,
                               decline_reason)
SELECT id, org_id, member_id, role, team_id, reason, valid_from, valid_until, status,
       created_at, decided_by, decided_at, decline_reason
FROM role_requests;
DELETE FROM sqlite_sequence WHERE name = 'role_requests_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'role_requests_new', seq FROM sqlite_sequence WHERE name = 'role_requests';
DROP TABLE role_requests;
ALTER TABLE role_requests_new RENAME TO role_requests;
CREATE INDEX role_requests_org ON role_requests(org_id, status, id);

CREATE TABLE reporting_lines_new (
    org_id       BIGINT NOT NULL REFERENCES orgs(id),
    ancestor_id  BIGINT NOT NULL,
    member_id    BIGINT NOT NULL,
    depth        BIGINT NOT NULL CHECK (depth >= 0),
    PRIMARY KEY (org_id, ancestor_id, member_id),
    FOREIGN KEY (org_id, ancestor_id) REFERENCES members_new(org_id, id),
    FOREIGN KEY (org_id, member_id) REFERENCES members_new(org_id, id)
);
INSERT INTO reporting_lines_new (org_id, ancestor_id, member_id, depth)
SELECT org_id, ancestor_id, member_id, depth FROM reporting_lines;
DROP TABLE reporting_lines;
ALTER TABLE reporting_lines_new RENAME TO reporting_lines;
CREATE INDEX reporting_lines_member ON reporting_lines(org_id, member_id, depth);

-- Dropping a table deletes its rows first, each checked against the rows that point at it:
-- only the old members' own manager_id is left, which this index lets it find without a scan
-- per row. The index goes with the table.
CREATE INDEX members_old_manager ON members(manager_id);
DROP TABLE members;
ALTER TABLE members_new RENAME TO members;
CREATE UNIQUE INDEX members_external_id ON members(org_id, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX members_person ON members(person_id);
@}
@postgres {

-- The parents' (org_id, id) keys. members_org (org_id, id) served the members' pages; the
-- unique key takes its name and its place, so the table keeps one index on those columns.
DROP INDEX members_org;
ALTER TABLE members ADD CONSTRAINT members_org UNIQUE (org_id, id);
ALTER TABLE teams ADD CONSTRAINT teams_org UNIQUE (org_id, id);

-- Each foreign key keeps its name and its (default, NO ACTION) delete behaviour; adding one
-- checks every existing row in one pass, and a row pointing into another company stops the
-- migration.
ALTER TABLE members
    DROP CONSTRAINT members_manager_id_fkey,
    ADD CONSTRAINT members_manager_id_fkey
        FOREIGN KEY (org_id, manager_id) REFERENCES members(org_id, id);

ALTER TABLE invitations
    DROP CONSTRAINT invitations_member_id_fkey,
    ADD CONSTRAINT invitations_member_id_fkey
        FOREIGN KEY (org_id, member_id) REFERENCES members(org_id, id);

ALTER TABLE team_members
    DROP CONSTRAINT team_members_team_id_fkey,
    DROP CONSTRAINT team_members_member_id_fkey,
    ADD CONSTRAINT team_members_team_id_fkey
        FOREIGN KEY (org_id, team_id) REFERENCES teams(org_id, id),
    ADD CONSTRAINT team_members_member_id_fkey
        FOREIGN KEY (org_id, member_id) REFERENCES members(org_id, id);

ALTER TABLE grants
    DROP CONSTRAINT grants_member_id_fkey,
    DROP CONSTRAINT grants_team_id_fkey,
    ADD CONSTRAINT grants_member_id_fkey
        FOREIGN KEY (org_id, member_id) REFERENCES members(org_id, id),
    ADD CONSTRAINT grants_team_id_fkey
        FOREIGN KEY (org_id, team_id) REFERENCES teams(org_id, id);

ALTER TABLE expenses
    DROP CONSTRAINT expenses_owner_id_fkey,
    DROP CONSTRAINT expenses_decided_by_fkey,
    DROP CONSTRAINT expenses_decided_on_behalf_of_fkey,
    ADD CONSTRAINT expenses_owner_id_fkey
        FOREIGN KEY (org_id, owner_id) REFERENCES members(org_id, id),
    ADD CONSTRAINT expenses_decided_by_fkey
        FOREIGN KEY (org_id, decided_by) REFERENCES members(org_id, id),
    ADD CONSTRAINT expenses_decided_on_behalf_of_fkey
        FOREIGN KEY (org_id, decided_on_behalf_of) REFERENCES members(org_id, id);

ALTER TABLE delegations
    DROP CONSTRAINT delegations_delegator_id_fkey,
    DROP CONSTRAINT delegations_delegate_id_fkey,
    DROP CONSTRAINT delegations_created_by_fkey,
    DROP CONSTRAINT delegations_ended_by_fkey,
    ADD CONSTRAINT delegations_delegator_id_fkey
        FOREIGN KEY (org_id, delegator_id) REFERENCES members(org_id, id),
    ADD CONSTRAINT delegations_delegate_id_fkey
        FOREIGN KEY (org_id, delegate_id) REFERENCES members(org_id, id),
    ADD CONSTRAINT delegations_created_by_fkey
        FOREIGN KEY (org_id, created_by) REFERENCES members(org_id, id),
    ADD CONSTRAINT delegations_ended_by_fkey
        FOREIGN KEY (org_id, ended_by) REFERENCES members(org_id, id);

ALTER TABLE role_requests
    DROP CONSTRAINT role_requests_member_id_fkey,
    DROP CONSTRAINT role_requests_team_id_fkey,
    DROP CONSTRAINT role_requests_decided_by_fkey,
    ADD CONSTRAINT role_requests_member_id_fkey
        FOREIGN KEY (org_id, member_id) REFERENCES members(org_id, id),
    ADD CONSTRAINT role_requests_team_id_fkey
        FOREIGN KEY (org_id, team_id) REFERENCES teams(org_id, id),
    ADD CONSTRAINT role_requests_decided_by_fkey
        FOREIGN KEY (org_id, decided_by) REFERENCES members(org_id, id);

ALTER TABLE reporting_lines
    DROP CONSTRAINT reporting_lines_ancestor_id_fkey,
    DROP CONSTRAINT reporting_lines_member_id_fkey,
    ADD CONSTRAINT reporting_lines_ancestor_id_fkey
        FOREIGN KEY (org_id, ancestor_id) REFERENCES members(org_id, id),
    ADD CONSTRAINT reporting_lines_member_id_fkey
        FOREIGN KEY (org_id, member_id) REFERENCES members(org_id, id);
@}
