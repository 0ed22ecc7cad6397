@postgres -- PostgreSQL twin of ../sqlite/0012_reports.sql: the same history.
-- Expense reports: a member groups their own expenses and submits them together; the report
-- is decided as a whole (approved, rejected, or changes asked for) and paid by finance.
-- Each row is the company's; its owner, deciders and payer are members of that company
-- ((org_id, x) keys, as everywhere).
CREATE TABLE reports (
    id              {{id}},
    org_id          BIGINT NOT NULL REFERENCES orgs(id),
    owner_id        BIGINT NOT NULL,
    title           TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'changes_requested', 'approved', 'rejected', 'paid')),
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    submitted_at    BIGINT,
    decided_by      BIGINT,
    decided_at      BIGINT,
    decision_note   TEXT,
    paid_by         BIGINT,
    paid_at         BIGINT,
    paid_reference  TEXT,
    UNIQUE (org_id, id),
    FOREIGN KEY (org_id, owner_id) REFERENCES members(org_id, id),
    FOREIGN KEY (org_id, decided_by) REFERENCES members(org_id, id),
    FOREIGN KEY (org_id, paid_by) REFERENCES members(org_id, id)
);
-- The same walks as expenses' (the owned-rows kit lists both alike): a company's newest
-- first, one status's, one owner's.
CREATE INDEX reports_org ON reports(org_id, id, owner_id);
CREATE INDEX reports_owner ON reports(org_id, owner_id, id);
CREATE INDEX reports_status ON reports(org_id, status, id, owner_id);

-- Which report an expense is in: at most one (the key is the expense). Deleting a draft
-- report frees its expenses; deleting an expense takes it out of its report.
CREATE TABLE report_expenses (
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    report_id   BIGINT NOT NULL,
    expense_id  BIGINT NOT NULL,
    added_at    BIGINT NOT NULL,
    PRIMARY KEY (org_id, expense_id),
    FOREIGN KEY (org_id, report_id) REFERENCES reports(org_id, id) ON DELETE CASCADE,
    FOREIGN KEY (org_id, expense_id) REFERENCES expenses(org_id, id) ON DELETE CASCADE
);
CREATE INDEX report_expenses_report ON report_expenses(org_id, report_id, expense_id);

-- Who besides its owner had a hand in a report (as expense_hands, migration 0010): four-eyes
-- binds them as it binds the owner.
CREATE TABLE report_hands (
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    report_id   BIGINT NOT NULL,
    member_id   BIGINT NOT NULL,
    hand        TEXT NOT NULL CHECK (hand IN ('create', 'edit', 'submit')),
    first_at    BIGINT NOT NULL,
    PRIMARY KEY (org_id, report_id, member_id, hand),
    FOREIGN KEY (org_id, report_id) REFERENCES reports(org_id, id) ON DELETE CASCADE,
    FOREIGN KEY (org_id, member_id) REFERENCES members(org_id, id)
);
CREATE INDEX report_hands_member ON report_hands(org_id, member_id);
