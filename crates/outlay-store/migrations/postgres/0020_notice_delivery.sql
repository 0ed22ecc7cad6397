-- PostgreSQL twin of ../sqlite/0020_notice_delivery.sql: the same history.
-- Sending a notice by e-mail: a server leases it (`lease_until`) in a short transaction, sends
-- with no transaction open, then marks it sent, or failed for good (an address the relay
-- refuses), so one bad notice never holds up the others and no lock is held on the relay.
ALTER TABLE notices ADD COLUMN lease_until BIGINT;
ALTER TABLE notices ADD COLUMN failed_at BIGINT;
ALTER TABLE notices ADD COLUMN failure TEXT;
