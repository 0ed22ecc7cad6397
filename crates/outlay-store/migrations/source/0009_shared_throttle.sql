-- Login throttling shared by every server on one database: each server reads the failed
-- attempts recorded for an email, and for a client address, over the last while, so a
-- client spreading its guesses over several servers is held back as if it used one.
CREATE INDEX person_events_email ON person_events(email, kind, last_at);
CREATE INDEX person_events_address ON person_events(address, kind, last_at);
