@postgres -- PostgreSQL twin of ../sqlite/0019_trips_mileage.sql: the same history.
-- Trips: requested by a member, decided by whoever approves their spending. The estimated
-- cost is in minor units of the company currency; `destination_key` is what the per diems
-- are looked up by (outlay_core::trip::key_of), `country` an ISO 3166-1 alpha-2 code.
CREATE TABLE trips (
    id                     {{id}},
    org_id                 BIGINT NOT NULL REFERENCES orgs(id),
    owner_id               BIGINT NOT NULL,
    destination            TEXT NOT NULL,
    destination_key        TEXT NOT NULL,
    country                TEXT,
    purpose                TEXT NOT NULL,
    starts_on              TEXT NOT NULL,
    ends_on                TEXT NOT NULL CHECK (ends_on >= starts_on),
    estimated_cost_minor   BIGINT NOT NULL CHECK (estimated_cost_minor >= 0),
    status                 TEXT NOT NULL CHECK (status IN ('requested', 'approved', 'rejected')),
    created_at             BIGINT NOT NULL,
    updated_at             BIGINT NOT NULL,
    decided_by             BIGINT,
    decided_at             BIGINT,
    decision_note          TEXT,
    UNIQUE (org_id, id),
    FOREIGN KEY (org_id, owner_id) REFERENCES members(org_id, id),
    FOREIGN KEY (org_id, decided_by) REFERENCES members(org_id, id)
);
CREATE INDEX trips_org ON trips(org_id, id, owner_id);
CREATE INDEX trips_owner ON trips(org_id, owner_id, id);
CREATE INDEX trips_status ON trips(org_id, status, id, owner_id);

-- The trip an expense belongs to, at most one: a link row rather than a column of expenses,
-- because SQLite adds no two-column foreign key to an existing table without rebuilding it
-- (and expense_hands and report_expenses with it). Both keys carry the company; cancelling a
-- trip unlinks its expenses, deleting an expense drops its link.
CREATE TABLE expense_trips (
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    expense_id  BIGINT NOT NULL,
    trip_id     BIGINT NOT NULL,
    PRIMARY KEY (org_id, expense_id),
    FOREIGN KEY (org_id, expense_id) REFERENCES expenses(org_id, id) ON DELETE CASCADE,
    FOREIGN KEY (org_id, trip_id) REFERENCES trips(org_id, id) ON DELETE CASCADE
);
CREATE INDEX expense_trips_trip ON expense_trips(org_id, trip_id);

-- Daily allowances finance keeps per destination key (a country code, or a folded place
-- name), in minor units of the company currency.
CREATE TABLE per_diems (
    org_id       BIGINT NOT NULL REFERENCES orgs(id),
    destination  TEXT NOT NULL,
    daily_minor  BIGINT NOT NULL CHECK (daily_minor > 0),
    set_by       BIGINT NOT NULL,
    set_at       BIGINT NOT NULL,
    PRIMARY KEY (org_id, destination),
    FOREIGN KEY (org_id, set_by) REFERENCES members(org_id, id)
);

-- Mileage rates per vehicle and unit: units of the company currency per km or mile, a
-- decimal as text, never a float (outlay_core::mileage).
CREATE TABLE mileage_rates (
    org_id   BIGINT NOT NULL REFERENCES orgs(id),
    vehicle  TEXT NOT NULL,
    unit     TEXT NOT NULL CHECK (unit IN ('km', 'mile')),
    rate     TEXT NOT NULL,
    set_by   BIGINT NOT NULL,
    set_at   BIGINT NOT NULL,
    PRIMARY KEY (org_id, vehicle, unit),
    FOREIGN KEY (org_id, set_by) REFERENCES members(org_id, id)
);
