-- Identity and account recovery. An invitation can be revoked; a resend replaces its token
-- in place, so the old token names nothing. A forgotten password is reset through a
-- single-use, expiring link e-mailed to the person: only the SHA-256 of its token is kept,
-- like every other token. The person-level trail also records passwords set (by an
-- invitation, a reset or a change) and reset requests.
ALTER TABLE invitations ADD COLUMN revoked_at BIGINT;

CREATE TABLE password_resets (
    token_hash  TEXT NOT NULL PRIMARY KEY,
    person_id   BIGINT NOT NULL REFERENCES persons(id),
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    -- Set when the token set a password, or when a newer request replaced it.
    used_at     BIGINT
);
CREATE INDEX password_resets_person ON password_resets(person_id);

-- SQLite cannot alter a CHECK: the trail is rebuilt with the same columns in the same order,
-- the same references and indexes, and the wider list of kinds. Nothing points at it.
CREATE TABLE person_events_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          BIGINT NOT NULL,
    last_at     BIGINT NOT NULL,
    count       BIGINT NOT NULL DEFAULT 1 CHECK (count >= 1),
    person_id   BIGINT REFERENCES persons(id),
    email       TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN
        ('login', 'login_failed', 'login_throttled', 'logout', 'password_set', 'reset_requested')),
    address     TEXT NOT NULL,
    reason      TEXT NOT NULL
);
INSERT INTO person_events_new (id, at, last_at, count, person_id, email, kind, address, reason)
SELECT id, at, last_at, count, person_id, email, kind, address, reason FROM person_events;
DROP TABLE person_events;
ALTER TABLE person_events_new RENAME TO person_events;
CREATE INDEX person_events_person ON person_events(person_id, id);
CREATE INDEX person_events_known ON person_events(person_id, address, kind, at);
CREATE INDEX person_events_email ON person_events(email, kind, last_at);
CREATE INDEX person_events_address ON person_events(address, kind, last_at);
