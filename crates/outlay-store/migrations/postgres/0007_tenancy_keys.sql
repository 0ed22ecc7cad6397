-- PostgreSQL twin of ../sqlite/0007_tenancy_keys.sql: the same history.
-- Tenancy in the schema: a company-owned row points only at rows of its own company. Each
-- reference to a member or a team carries the company, (org_id, x_id) -> (org_id, id), so no
-- handler, however wrong, can tie a row of one company to a member or team of another.
-- References to orgs and to persons (who belong to no company) stay single-column.

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
