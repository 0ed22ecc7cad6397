@postgres -- PostgreSQL twin of ../sqlite/0016_bank_accounts.sql: the same history.
-- Members' payout accounts, and the SEPA credit transfer files that paid their reports.

-- Where a member's approved reports are paid: one account per member, set by the member.
-- The IBAN in its electronic form (uppercase, no spaces), checked before it is written.
CREATE TABLE bank_accounts (
    org_id       BIGINT NOT NULL REFERENCES orgs(id),
    member_id    BIGINT NOT NULL,
    holder_name  TEXT NOT NULL,
    iban         TEXT NOT NULL,
    bic          TEXT,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (org_id, member_id),
    FOREIGN KEY (org_id, member_id) REFERENCES members(org_id, id)
);

-- A pain.001.001.09 file as it was answered, kept byte for byte so that it can be fetched
-- again; its message id is the reference its reports were paid with.
CREATE TABLE sepa_batches (
    id                 {{id}},
    org_id             BIGINT NOT NULL REFERENCES orgs(id),
    created_by         BIGINT NOT NULL,
    created_at         BIGINT NOT NULL,
    message_id         TEXT NOT NULL,
    execution_date     TEXT NOT NULL,
    report_count       BIGINT NOT NULL CHECK (report_count > 0),
    control_sum_minor  BIGINT NOT NULL CHECK (control_sum_minor > 0),
    xml                TEXT NOT NULL,
    UNIQUE (org_id, id),
    FOREIGN KEY (org_id, created_by) REFERENCES members(org_id, id)
);

-- The reports a file paid. A report is paid once, so it is in one file at most (the key
-- is the report).
CREATE TABLE sepa_batch_reports (
    org_id     BIGINT NOT NULL REFERENCES orgs(id),
    batch_id   BIGINT NOT NULL,
    report_id  BIGINT NOT NULL,
    PRIMARY KEY (org_id, report_id),
    FOREIGN KEY (org_id, batch_id) REFERENCES sepa_batches(org_id, id),
    FOREIGN KEY (org_id, report_id) REFERENCES reports(org_id, id)
);
CREATE INDEX sepa_batch_reports_batch ON sepa_batch_reports(org_id, batch_id, report_id);
