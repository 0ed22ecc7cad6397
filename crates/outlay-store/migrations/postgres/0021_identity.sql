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

ALTER TABLE person_events DROP CONSTRAINT person_events_kind_check;
ALTER TABLE person_events ADD CONSTRAINT person_events_kind_check CHECK (kind IN
    ('login', 'login_failed', 'login_throttled', 'logout', 'password_set', 'reset_requested'));
