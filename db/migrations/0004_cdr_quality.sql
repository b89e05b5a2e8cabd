-- 0004_cdr_quality.sql: media quality per leg in the CDR (NULL where not
-- measured): packets lost, interarrival jitter in ms, RTCP round trip.
ALTER TABLE cdr ADD COLUMN caller_lost INTEGER;
ALTER TABLE cdr ADD COLUMN caller_jitter_ms REAL;
ALTER TABLE cdr ADD COLUMN caller_rtt_ms INTEGER;
ALTER TABLE cdr ADD COLUMN callee_lost INTEGER;
ALTER TABLE cdr ADD COLUMN callee_jitter_ms REAL;
ALTER TABLE cdr ADD COLUMN callee_rtt_ms INTEGER;
