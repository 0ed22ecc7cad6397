@postgres -- PostgreSQL twin of ../sqlite/0010_expense_hands.sql: the same history.
-- Who had a hand in an expense besides its owner: who created it (a submit delegate, for the
-- owner), edited it (a delegate, or a member whose grant edits others' expenses) or submitted it. Four-eyes
-- binds these members as it binds the owner: nobody approves, rejects or overrides an expense
-- they made, nor, on a delegator's behalf, one the delegator made.
--
-- One row per member and kind of hand, kept for good: a hand that touched an expense stays
-- bound after a rejection and a resubmission by someone else. The owner's own hand is implied
-- by ownership, which four-eyes checks already, so it is never recorded: existing expenses
-- (created and submitted by their owners) need no row, and people handling their own expenses
-- write none.
--
-- Foreign keys carry the company, as everywhere: the expense by (org_id, id), which needs
-- that pair unique (the id alone is already), and the member by (org_id, id). Deleting a
-- draft deletes its hands.
@sqlite CREATE UNIQUE INDEX expenses_key ON expenses(org_id, id);
@postgres ALTER TABLE expenses ADD CONSTRAINT expenses_key UNIQUE (org_id, id);

CREATE TABLE expense_hands (
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    expense_id  BIGINT NOT NULL,
    member_id   BIGINT NOT NULL,
    hand        TEXT NOT NULL CHECK (hand IN ('create', 'edit', 'submit')),
    first_at    BIGINT NOT NULL,
    PRIMARY KEY (org_id, expense_id, member_id, hand),
    FOREIGN KEY (org_id, expense_id) REFERENCES expenses(org_id, id) ON DELETE CASCADE,
    FOREIGN KEY (org_id, member_id) REFERENCES members(org_id, id)
);
CREATE INDEX expense_hands_member ON expense_hands(org_id, member_id);
