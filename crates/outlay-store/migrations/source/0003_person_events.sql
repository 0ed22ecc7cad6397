@postgres -- PostgreSQL twin of ../sqlite/0003_person_events.sql: the same history, in PostgreSQL types.
-- The person-level trail: logins, failed and throttled login attempts, logouts. A person acts
-- in several companies, and a failed login belongs to none of them, so this trail is kept
-- apart from the per-company audit log. Repeated identical attempts (same kind, email,
-- address and reason) within a short window are one row with a count and first and last time.

CREATE TABLE person_events (
    id          {{id}},
    -- The first (or only) occurrence; last_at is the latest one it stands for.
    at          BIGINT NOT NULL,
    last_at     BIGINT NOT NULL,
    count       BIGINT NOT NULL DEFAULT 1 CHECK (count >= 1),
    -- NULL when the email belongs to nobody.
    person_id   BIGINT REFERENCES persons(id),
    -- The email as given, normalised: kept for attempts on unknown accounts.
    email       TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('login', 'login_failed', 'login_throttled', 'logout')),
    -- The client address (IPv6 as its /64 network); empty when unknown.
    address     TEXT NOT NULL,
    reason      TEXT NOT NULL
);
CREATE INDEX person_events_person ON person_events(person_id, id);
-- "Has this person logged in from this address lately?" (login throttling trusts those).
CREATE INDEX person_events_known ON person_events(person_id, address, kind, at);
