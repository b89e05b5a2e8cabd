-- 0020_live_calls.sql - answered calls that are still up, so that a call
-- cut off by a crash (kill -9, a power cut) still gets its CDR.
--
-- A row is written about a second after the call is answered and removed
-- with the call's CDR, in the same transaction. The daemon stamps
-- `alive` every few seconds while calls are up. At the next start each row
-- left over becomes a CDR with disposition INTERRUPTED that ends at the
-- last stamp (not before its answer), and the table is emptied.

CREATE TABLE live_calls (
	call_id TEXT NOT NULL,
	start_us INTEGER NOT NULL,	-- microseconds since the epoch
	tenant_id INTEGER NOT NULL
		REFERENCES tenants(id) ON DELETE CASCADE,
	caller TEXT NOT NULL,
	callee TEXT NOT NULL,
	answer_us INTEGER NOT NULL,
	PRIMARY KEY (call_id, start_us)
) STRICT, WITHOUT ROWID;
-- The cascade from tenants.
CREATE INDEX live_calls_tenant ON live_calls (tenant_id);

-- One row: the last time the daemon was seen alive with calls up.
CREATE TABLE alive (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	seen_us INTEGER NOT NULL
) STRICT;
