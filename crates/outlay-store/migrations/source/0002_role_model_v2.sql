@postgres -- PostgreSQL twin of ../sqlite/0002_role_model_v2.sql: the same history, in PostgreSQL types.
-- Role model v2: presets per company, company lifecycle, member kinds and profiles, grant
-- caps and switched-off permission groups, custom roles' assignable lists, delegations,
-- expense overrides, and role-change requests.

ALTER TABLE orgs ADD COLUMN preset TEXT NOT NULL DEFAULT 'outlay';
ALTER TABLE orgs ADD COLUMN base_currency TEXT NOT NULL DEFAULT 'EUR';
ALTER TABLE orgs ADD COLUMN closed_at BIGINT;
ALTER TABLE orgs ADD COLUMN close_reason TEXT;

ALTER TABLE members ADD COLUMN kind TEXT NOT NULL DEFAULT 'internal' CHECK (kind IN ('internal', 'external'));
ALTER TABLE members ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX members_external_id ON members(org_id, external_id) WHERE external_id IS NOT NULL;

ALTER TABLE grants ADD COLUMN max_amount_minor BIGINT CHECK (max_amount_minor IS NULL OR max_amount_minor >= 0);
ALTER TABLE grants ADD COLUMN self_issue BOOLEAN;
@sqlite ALTER TABLE grants ADD COLUMN groups_off INTEGER NOT NULL DEFAULT 0;
@postgres ALTER TABLE grants ADD COLUMN groups_off BIGINT NOT NULL DEFAULT 0;

ALTER TABLE roles ADD COLUMN assignable TEXT NOT NULL DEFAULT '';

ALTER TABLE expenses ADD COLUMN decided_on_behalf_of BIGINT REFERENCES members(id);
ALTER TABLE expenses ADD COLUMN override_reason TEXT;

CREATE INDEX team_members_team ON team_members(org_id, team_id, member_id);

-- Someone acts for someone else for a while: approvals while away, or submitting for them.
CREATE TABLE delegations (
    id            {{id}},
    org_id        BIGINT NOT NULL REFERENCES orgs(id),
    delegator_id  BIGINT NOT NULL REFERENCES members(id),
    delegate_id   BIGINT NOT NULL REFERENCES members(id),
    kind          TEXT NOT NULL CHECK (kind IN ('approve', 'submit')),
    valid_from    BIGINT NOT NULL,
    valid_until   BIGINT NOT NULL,
    created_by    BIGINT NOT NULL REFERENCES members(id),
    created_at    BIGINT NOT NULL,
    ended_at      BIGINT,
    ended_by      BIGINT REFERENCES members(id),
    CHECK (valid_until > valid_from),
    CHECK (delegator_id <> delegate_id)
);
CREATE INDEX delegations_delegate ON delegations(org_id, delegate_id);
CREATE INDEX delegations_delegator ON delegations(org_id, delegator_id);

-- A member asks for a role (for a while, with a reason); whoever may assign it decides.
CREATE TABLE role_requests (
    id              {{id}},
    org_id          BIGINT NOT NULL REFERENCES orgs(id),
    member_id       BIGINT NOT NULL REFERENCES members(id),
    role            TEXT NOT NULL,
    team_id         BIGINT REFERENCES teams(id),
    reason          TEXT NOT NULL,
    valid_from      BIGINT,
    valid_until     BIGINT,
    status          TEXT NOT NULL CHECK (status IN ('open', 'approved', 'declined')),
    created_at      BIGINT NOT NULL,
    decided_by      BIGINT REFERENCES members(id),
    decided_at      BIGINT,
    decline_reason  TEXT
);
CREATE INDEX role_requests_org ON role_requests(org_id, status, id);
