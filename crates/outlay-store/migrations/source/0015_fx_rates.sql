@postgres -- PostgreSQL twin of ../sqlite/0015_fx_rates.sql: the same history.
-- Exchange rates finance keeps per company: units of the company currency per unit of
-- `currency`, from `rate_on` (a date) until the next rate of that currency. Decimals as text,
-- never floats (outlay_core::fx).
CREATE TABLE fx_rates (
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    currency    TEXT NOT NULL,
    rate_on     TEXT NOT NULL,
    rate        TEXT NOT NULL,
    set_by      BIGINT NOT NULL,
    set_at      BIGINT NOT NULL,
    PRIMARY KEY (org_id, currency, rate_on),
    FOREIGN KEY (org_id, set_by) REFERENCES members(org_id, id)
);

-- An expense in another currency keeps its amount in the company currency as converted when
-- it was saved, with the rate and the rate's date used: what approvers, caps, policies and
-- report totals read. NULL when no rate was known then.
ALTER TABLE expenses ADD COLUMN base_amount_minor BIGINT;
ALTER TABLE expenses ADD COLUMN fx_rate TEXT;
ALTER TABLE expenses ADD COLUMN fx_rate_on TEXT;
