@postgres -- PostgreSQL twin of ../sqlite/0013_report_comments.sql: the same history.
-- Comments on a report, visible to everyone who can see the report; written by those with a
-- part in it (its owner, whoever may decide it, finance paying it). Kept with the report:
-- deleting a draft report deletes its comments.
CREATE TABLE report_comments (
    id          {{id}},
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    report_id   BIGINT NOT NULL,
    author_id   BIGINT NOT NULL,
    body        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    FOREIGN KEY (org_id, report_id) REFERENCES reports(org_id, id) ON DELETE CASCADE,
    FOREIGN KEY (org_id, author_id) REFERENCES members(org_id, id)
);
CREATE INDEX report_comments_report ON report_comments(org_id, report_id, id);
