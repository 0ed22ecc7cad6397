-- PostgreSQL twin of ../sqlite/0024_expense_checks.sql: the same history.
-- What the checks at a report's submit read and write, and what finance corrects.
-- `receipt`: a reference to the expense's receipt. Nothing writes it yet: the receipts
-- feature will; until then an expense has none, and the missing-receipt check reads that.
ALTER TABLE expenses ADD COLUMN receipt TEXT;
-- The VAT included in the amount, in minor units of the expense's currency.
ALTER TABLE expenses ADD COLUMN vat_minor BIGINT CHECK (vat_minor >= 0);
-- The flags its last submit in a report found (outlay_core::checks::Flag, as JSON), for its
-- approvers and auditors; NULL before any.
ALTER TABLE expenses ADD COLUMN flags TEXT;
