@postgres -- PostgreSQL twin of ../sqlite/0014_approval_policies.sql: the same history.
-- Approval policies, versioned: each save is a new version; the newest is in force. A company
-- with no row follows its preset's default (version 0).
CREATE TABLE approval_policies (
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    version     BIGINT NOT NULL CHECK (version > 0),
    rules       TEXT NOT NULL,
    created_by  BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (org_id, version),
    FOREIGN KEY (org_id, created_by) REFERENCES members(org_id, id)
);

-- A submitted report keeps the route it was given: the policy version and rule, and the steps
-- resolved for it (report_steps). `route_no` counts routes (each submit or re-route gives a
-- new one), so an approval read under one route never lands on another; `step_idx` is the step
-- it waits on, NULL when it waits on none.
ALTER TABLE reports ADD COLUMN policy_version BIGINT;
ALTER TABLE reports ADD COLUMN route_rule TEXT;
ALTER TABLE reports ADD COLUMN route_no BIGINT NOT NULL DEFAULT 0;
ALTER TABLE reports ADD COLUMN step_idx BIGINT;

CREATE TABLE report_steps (
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    report_id   BIGINT NOT NULL,
    idx         BIGINT NOT NULL CHECK (idx >= 0),
    step        TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('waiting', 'done', 'skipped')),
    done_at     BIGINT,
    PRIMARY KEY (org_id, report_id, idx),
    FOREIGN KEY (org_id, report_id) REFERENCES reports(org_id, id) ON DELETE CASCADE
);

-- Who approved which step of a report's current route. One row per member and report: nobody
-- acts on two steps of one report.
CREATE TABLE report_approvals (
    org_id       BIGINT NOT NULL REFERENCES orgs(id),
    report_id    BIGINT NOT NULL,
    member_id    BIGINT NOT NULL,
    idx          BIGINT NOT NULL,
    on_behalf_of BIGINT,
    note         TEXT,
    at           BIGINT NOT NULL,
    PRIMARY KEY (org_id, report_id, member_id),
    FOREIGN KEY (org_id, report_id, idx) REFERENCES report_steps(org_id, report_id, idx) ON DELETE CASCADE,
    FOREIGN KEY (org_id, member_id) REFERENCES members(org_id, id),
    FOREIGN KEY (org_id, on_behalf_of) REFERENCES members(org_id, id)
);
