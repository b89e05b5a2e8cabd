-- 0018_limits.sql - limits against runaway use and toll fraud
-- (docs/security.md, "Limits"): per tenant the calls it may have at once,
-- the extensions it may have and how long one call may last; per
-- extension the calls it may have at once (as caller or callee); per
-- trunk the outbound calls it may start in any hour.
--
-- 0 means no limit, except max_call_secs, whose default of four hours
-- ends a call nobody hung up (a phone that lost its network, a
-- fraudster's call to a premium number) while no real conversation is
-- cut. Ranges are checked in C (db_limits_check).

ALTER TABLE tenants ADD COLUMN max_calls INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tenants ADD COLUMN max_extensions INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tenants ADD COLUMN max_call_secs INTEGER NOT NULL DEFAULT 14400;
ALTER TABLE extensions ADD COLUMN max_calls INTEGER NOT NULL DEFAULT 0;
ALTER TABLE trunks ADD COLUMN max_per_hour INTEGER NOT NULL DEFAULT 0;
