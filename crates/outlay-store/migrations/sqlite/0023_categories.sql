-- Expense categories: the company's list, kept by finance. A limit per expense and the amount
-- above which a receipt is required are in minor units of the company currency; an archived
-- category stays on the expenses that have it and takes no new ones.
CREATE TABLE categories (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id               BIGINT NOT NULL REFERENCES orgs(id),
    name                 TEXT NOT NULL,
    limit_minor          BIGINT CHECK (limit_minor > 0),
    receipt_above_minor  BIGINT CHECK (receipt_above_minor >= 0),
    archived_at          BIGINT,
    created_at           BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL,
    UNIQUE (org_id, id),
    UNIQUE (org_id, name)
);

-- Every company has the default list (outlay_core::category::DEFAULTS) and every name its
-- expenses were given as free text before.
INSERT INTO categories (org_id, name, created_at, updated_at)
SELECT org_id, name, MIN(at), MIN(at) FROM (
    SELECT o.id AS org_id, d.name AS name, o.created_at AS at FROM orgs o CROSS JOIN (
        SELECT 'general' AS name UNION ALL SELECT 'travel' UNION ALL SELECT 'lodging'
        UNION ALL SELECT 'meals' UNION ALL SELECT 'office' UNION ALL SELECT 'software'
        UNION ALL SELECT 'training' UNION ALL SELECT 'mileage'
    ) d
    UNION ALL
    SELECT e.org_id, e.category, e.created_at FROM expenses e
) named
GROUP BY org_id, name
ORDER BY org_id, MIN(at), name;

-- An expense's category, one: a link row rather than a column of expenses, because SQLite
-- adds no two-column foreign key to an existing table without rebuilding it (as for trips,
-- 0019). `expenses.category` keeps the category's name, the one the API shows and approval
-- rules match; renaming a category renames it there too.
CREATE TABLE expense_categories (
    org_id       BIGINT NOT NULL REFERENCES orgs(id),
    expense_id   BIGINT NOT NULL,
    category_id  BIGINT NOT NULL,
    PRIMARY KEY (org_id, expense_id),
    FOREIGN KEY (org_id, expense_id) REFERENCES expenses(org_id, id) ON DELETE CASCADE,
    FOREIGN KEY (org_id, category_id) REFERENCES categories(org_id, id)
);
CREATE INDEX expense_categories_category ON expense_categories(org_id, category_id);

INSERT INTO expense_categories (org_id, expense_id, category_id)
SELECT e.org_id, e.id, c.id FROM expenses e
JOIN categories c ON c.org_id = e.org_id AND c.name = e.category;
