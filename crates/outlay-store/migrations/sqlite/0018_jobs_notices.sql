-- How long a submitted report's steps may wait, copied from its policy at submit: a reminder
-- after `remind_after` seconds on a step, a move to the next manager up after `escalate_after`.
ALTER TABLE reports ADD COLUMN remind_after BIGINT;
ALTER TABLE reports ADD COLUMN escalate_after BIGINT;

-- Durable jobs the servers run (no second process): each due job is claimed by one server
-- (a row lock, SKIP LOCKED on PostgreSQL; the write lock on SQLite), done in the same
-- transaction as its effect and its audit entry, so it runs once whatever restarts or how
-- many servers share the database. A job names the report's route and step it was
-- scheduled for: one that moved on meanwhile is done with nothing to do.
CREATE TABLE jobs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    kind        TEXT NOT NULL CHECK (kind IN ('approval_reminder', 'approval_escalation')),
    report_id   BIGINT NOT NULL,
    route_no    BIGINT NOT NULL,
    step_idx    BIGINT NOT NULL,
    due_at      BIGINT NOT NULL,
    done_at     BIGINT,
    outcome     TEXT,
    FOREIGN KEY (org_id, report_id) REFERENCES reports(org_id, id) ON DELETE CASCADE
);
CREATE INDEX jobs_due ON jobs(due_at, id) WHERE done_at IS NULL;

-- What a member is told (approval requested, reminder, escalated): kept for them to read,
-- and the outbox e-mail is sent from.
CREATE TABLE notices (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    member_id   BIGINT NOT NULL,
    kind        TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    report_id   BIGINT,
    created_at  BIGINT NOT NULL,
    sent_at     BIGINT,
    FOREIGN KEY (org_id, member_id) REFERENCES members(org_id, id),
    FOREIGN KEY (org_id, report_id) REFERENCES reports(org_id, id) ON DELETE CASCADE
);
CREATE INDEX notices_member ON notices(org_id, member_id, id);
