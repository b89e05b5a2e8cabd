-- 0019_recordings.sql - every recording of a call, and each tenant's
-- own on-demand recording code.
--
-- A call can record more than once: an app call bridges again after a
-- transfer (the transferred caller dialled on to a second extension),
-- and each bridge is a recording of its own, in its own file. cdr.recording
-- stays and names the first one (what readers before this version knew);
-- this table lists them all, in the order they began (seq 1, 2, ...).
-- A row is written with its CDR row, in the same transaction, once the
-- call has ended and only for a recording that wrote audio; the path is
-- spool-relative, as cdr.recording's.

CREATE TABLE recordings (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL
		REFERENCES tenants(id) ON DELETE CASCADE,
	cdr_id INTEGER NOT NULL
		REFERENCES cdr(id) ON DELETE CASCADE,
	seq INTEGER NOT NULL CHECK (seq >= 1),
	path TEXT NOT NULL,
	started_us INTEGER NOT NULL,	-- microseconds since the epoch
	UNIQUE (cdr_id, seq)
) STRICT;
-- The cascade from tenants.
CREATE INDEX recordings_tenant ON recordings (tenant_id);

-- Calls recorded before this version had one recording each.
INSERT INTO recordings (tenant_id, cdr_id, seq, path, started_us)
SELECT tenant_id, id, 1, recording, CASE WHEN answer_us > 0 THEN answer_us
					 ELSE start_us END
FROM cdr WHERE recording != '';

-- The on-demand recording code, per tenant (docs/trunks.md, "Call
-- recording"): 2 to 4 of 0-9 * #, not clashing with the in-call codes
-- (checked in C, db_record_code_why). A column of tenants: every tenant
-- has exactly one, new tenants get the default.
ALTER TABLE tenants ADD COLUMN record_code TEXT NOT NULL DEFAULT '*1';
