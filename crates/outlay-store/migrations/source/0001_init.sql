@postgres -- PostgreSQL twin of ../sqlite/0001_init.sql: the same history, in PostgreSQL types.
-- Outlay schema, version 1. Every company-owned row carries org_id and every query filters
-- on it. Times are Unix seconds (BIGINT) so the same schema maps onto PostgreSQL.

CREATE TABLE orgs (
    id          {{id}},
    name        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

-- A person logs in once; their memberships give them access to companies.
CREATE TABLE persons (
    id             {{id}},
    email          TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    password_hash  TEXT,
    created_at     BIGINT NOT NULL
);

-- Only the SHA-256 of a bearer token is stored.
CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    person_id   BIGINT NOT NULL REFERENCES persons(id),
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);
CREATE INDEX sessions_person ON sessions(person_id);

CREATE TABLE members (
    id           {{id}},
    org_id       BIGINT NOT NULL REFERENCES orgs(id),
    person_id    BIGINT NOT NULL REFERENCES persons(id),
    name         TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('invited', 'active', 'archived')),
    manager_id   BIGINT REFERENCES members(id),
    created_at   BIGINT NOT NULL,
    archived_at  BIGINT,
    UNIQUE (org_id, person_id)
);
CREATE INDEX members_manager ON members(org_id, manager_id);

CREATE TABLE invitations (
    token_hash   TEXT PRIMARY KEY,
    org_id       BIGINT NOT NULL REFERENCES orgs(id),
    member_id    BIGINT NOT NULL REFERENCES members(id),
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    accepted_at  BIGINT
);

CREATE TABLE teams (
    id          {{id}},
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    name        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    UNIQUE (org_id, name)
);

CREATE TABLE team_members (
    org_id     BIGINT NOT NULL REFERENCES orgs(id),
    team_id    BIGINT NOT NULL REFERENCES teams(id),
    member_id  BIGINT NOT NULL REFERENCES members(id),
    PRIMARY KEY (team_id, member_id)
);
CREATE INDEX team_members_member ON team_members(org_id, member_id);

-- Custom roles; built-in roles live in the core and are never stored.
CREATE TABLE roles (
    org_id       BIGINT NOT NULL REFERENCES orgs(id),
    key          TEXT NOT NULL,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL,
    permissions  TEXT NOT NULL,
    read_only    BOOLEAN NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (org_id, key)
);

CREATE TABLE grants (
    id           {{id}},
    org_id       BIGINT NOT NULL REFERENCES orgs(id),
    member_id    BIGINT NOT NULL REFERENCES members(id),
    role         TEXT NOT NULL,
    team_id      BIGINT REFERENCES teams(id),
    valid_from   BIGINT,
    valid_until  BIGINT,
    created_at   BIGINT NOT NULL
);
CREATE INDEX grants_member ON grants(org_id, member_id);

CREATE TABLE expenses (
    id             {{id}},
    org_id         BIGINT NOT NULL REFERENCES orgs(id),
    owner_id       BIGINT NOT NULL REFERENCES members(id),
    amount_minor   BIGINT NOT NULL CHECK (amount_minor > 0),
    currency       TEXT NOT NULL,
    merchant       TEXT NOT NULL,
    spent_on       TEXT NOT NULL,
    category       TEXT NOT NULL,
    note           TEXT,
    status         TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'rejected')),
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    submitted_at   BIGINT,
    decided_by     BIGINT REFERENCES members(id),
    decided_at     BIGINT,
    reject_reason  TEXT
);
CREATE INDEX expenses_org ON expenses(org_id, id);
CREATE INDEX expenses_owner ON expenses(org_id, owner_id, id);

-- Append-only; each row's hash covers the previous row's hash (tamper evidence per company).
CREATE TABLE audit_events (
    id               {{id}},
    org_id           BIGINT NOT NULL REFERENCES orgs(id),
    at               BIGINT NOT NULL,
    actor_member_id  BIGINT,
    actor_person_id  BIGINT,
    action           TEXT NOT NULL,
    target           TEXT NOT NULL,
    outcome          TEXT NOT NULL CHECK (outcome IN ('allowed', 'denied')),
    reason           TEXT NOT NULL,
    detail           TEXT NOT NULL,
    prev_hash        TEXT NOT NULL,
    hash             TEXT NOT NULL
);
CREATE INDEX audit_org ON audit_events(org_id, id);
