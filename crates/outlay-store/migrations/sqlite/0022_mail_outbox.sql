-- Mail to a person rather than to a member: invitations and password resets. Sent like
-- notices by the servers' job pass (leased, sent with no transaction open, marked sent or
-- failed). `link` holds the path with the one-time token, joined to the server's public URL
-- when sent, and is erased once the mail is sent or failed: the outbox keeps no usable
-- token longer than it must.
CREATE TABLE mails (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    kind         TEXT NOT NULL CHECK (kind IN ('invitation', 'password_reset')),
    email        TEXT NOT NULL,
    name         TEXT NOT NULL,
    subject      TEXT NOT NULL,
    body         TEXT NOT NULL,
    link         TEXT,
    created_at   BIGINT NOT NULL,
    lease_until  BIGINT,
    sent_at      BIGINT,
    failed_at    BIGINT,
    failure      TEXT
);
CREATE INDEX mails_unsent ON mails(id) WHERE sent_at IS NULL AND failed_at IS NULL;
