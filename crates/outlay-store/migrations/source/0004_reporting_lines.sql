@postgres -- PostgreSQL twin of ../sqlite/0004_reporting_lines.sql: the same history.
-- Reach as data: every (ancestor, member, depth) of the reporting lines, kept in the same
-- transaction as every manager change, so "who is below whom" is an indexed lookup and never
-- a recursive query per request. Depth 0 is the member themself.
CREATE TABLE reporting_lines (
    org_id       BIGINT NOT NULL REFERENCES orgs(id),
    ancestor_id  BIGINT NOT NULL REFERENCES members(id),
    member_id    BIGINT NOT NULL REFERENCES members(id),
    depth        BIGINT NOT NULL CHECK (depth >= 0),
    PRIMARY KEY (org_id, ancestor_id, member_id)
);
CREATE INDEX reporting_lines_member ON reporting_lines(org_id, member_id, depth);

INSERT INTO reporting_lines (org_id, ancestor_id, member_id, depth)
WITH RECURSIVE lines(org_id, ancestor_id, member_id, depth) AS (
    SELECT org_id, id, id, 0 FROM members
    UNION ALL
    SELECT l.org_id, m.manager_id, l.member_id, l.depth + 1
    FROM lines l JOIN members m ON m.id = l.ancestor_id AND m.org_id = l.org_id
    WHERE m.manager_id IS NOT NULL AND l.depth < 64
)
SELECT org_id, ancestor_id, member_id, depth FROM lines;

-- Status filters and per-owner pages, newest first.
CREATE INDEX expenses_status ON expenses(org_id, status, id);
CREATE INDEX expenses_owner_status ON expenses(org_id, owner_id, status, id);
