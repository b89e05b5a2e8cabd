-- 0007_recording.sql - call recording: when each extension's and each
-- route's calls are recorded ('never', 'always', 'on-demand': a feature
-- code during the call starts and stops it; checked by db_record_parse()),
-- and the recording a CDR row points to (a path under the spool, '' for
-- none).
ALTER TABLE extensions ADD COLUMN record TEXT NOT NULL DEFAULT 'never';
ALTER TABLE routes ADD COLUMN record TEXT NOT NULL DEFAULT 'never';
ALTER TABLE cdr ADD COLUMN recording TEXT NOT NULL DEFAULT '';
