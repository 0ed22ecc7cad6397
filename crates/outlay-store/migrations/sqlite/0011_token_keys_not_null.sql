-- A session's and an invitation's key is the hash of its token, never NULL. PostgreSQL's
-- PRIMARY KEY implies NOT NULL; SQLite's does not (but for INTEGER PRIMARY KEY), so there
-- both tables took a row without a token. tests/schema.rs found the difference.
--
-- SQLite cannot alter a column: both tables are rebuilt with the same columns in the same
-- order, the same keys, references and indexes, and the key NOT NULL. Nothing points at
-- either table. A stored row without a token (none is ever written) fails the migration
-- rather than being dropped unseen.
CREATE TABLE sessions_new (
    token_hash  TEXT NOT NULL PRIMARY KEY,
    person_id   BIGINT NOT NULL REFERENCES persons(id),
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);
INSERT INTO sessions_new (token_hash, person_id, created_at, expires_at, revoked_at)
SELECT token_hash, person_id, created_at, expires_at, revoked_at FROM sessions;
DROP TABLE sessions;
ALTER TABLE sessions_new RENAME TO sessions;
CREATE INDEX sessions_person ON sessions(person_id);

CREATE TABLE invitations_new (
    token_hash   TEXT NOT NULL PRIMARY KEY,
    org_id       BIGINT NOT NULL REFERENCES orgs(id),
    member_id    BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    accepted_at  BIGINT,
    FOREIGN KEY (org_id, member_id) REFERENCES members(org_id, id)
);
INSERT INTO invitations_new (token_hash, org_id, member_id, created_at, expires_at, accepted_at)
SELECT token_hash, org_id, member_id, created_at, expires_at, accepted_at FROM invitations;
DROP TABLE invitations;
ALTER TABLE invitations_new RENAME TO invitations;
