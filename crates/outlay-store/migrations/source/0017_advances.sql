@postgres -- PostgreSQL twin of ../sqlite/0017_advances.sql: the same history.
-- Cash advances: requested by a member, decided by whoever approves their spending, paid out
-- and settled against their approved reports by finance, and closed when what was not
-- claimed came back. Amounts in minor units of the company currency.
CREATE TABLE advances (
    id                  {{id}},
    org_id              BIGINT NOT NULL REFERENCES orgs(id),
    owner_id            BIGINT NOT NULL,
    amount_minor        BIGINT NOT NULL CHECK (amount_minor > 0),
    currency            TEXT NOT NULL,
    purpose             TEXT NOT NULL,
    needed_by           TEXT,
    status              TEXT NOT NULL CHECK (status IN ('requested', 'rejected', 'unpaid', 'paid', 'returned')),
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    decided_by          BIGINT,
    decided_at          BIGINT,
    decision_note       TEXT,
    paid_by             BIGINT,
    paid_at             BIGINT,
    paid_reference      TEXT,
    returned_minor      BIGINT,
    returned_at         BIGINT,
    returned_reference  TEXT,
    UNIQUE (org_id, id),
    FOREIGN KEY (org_id, owner_id) REFERENCES members(org_id, id),
    FOREIGN KEY (org_id, decided_by) REFERENCES members(org_id, id),
    FOREIGN KEY (org_id, paid_by) REFERENCES members(org_id, id)
);
CREATE INDEX advances_org ON advances(org_id, id, owner_id);
CREATE INDEX advances_owner ON advances(org_id, owner_id, id);
CREATE INDEX advances_status ON advances(org_id, status, id, owner_id);

-- What of an advance covers which of its owner's reports.
CREATE TABLE advance_settlements (
    org_id        BIGINT NOT NULL REFERENCES orgs(id),
    advance_id    BIGINT NOT NULL,
    report_id     BIGINT NOT NULL,
    amount_minor  BIGINT NOT NULL CHECK (amount_minor > 0),
    settled_by    BIGINT NOT NULL,
    settled_at    BIGINT NOT NULL,
    PRIMARY KEY (org_id, advance_id, report_id),
    FOREIGN KEY (org_id, advance_id) REFERENCES advances(org_id, id),
    FOREIGN KEY (org_id, report_id) REFERENCES reports(org_id, id),
    FOREIGN KEY (org_id, settled_by) REFERENCES members(org_id, id)
);
CREATE INDEX advance_settlements_report ON advance_settlements(org_id, report_id);
