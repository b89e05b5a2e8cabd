-- 0009_voicemail.sql - voicemail: a mailbox per extension and the index of
-- its messages. The audio is not here: each message is a WAV under the
-- spool folder, `file` its path relative to it
-- (tenants/DOMAIN/vm/EXT/{new,saved}/NAME.wav); greetings are files only
-- (tenants/DOMAIN/vm/EXT/greetings/*.wav), whose presence is their flag.
-- pbx/vm/vm_store.h keeps the files and these rows in step.

CREATE TABLE vm_boxes (
	ext_id INTEGER PRIMARY KEY
		REFERENCES extensions(id) ON DELETE CASCADE,
	tenant_id INTEGER NOT NULL
		REFERENCES tenants(id) ON DELETE CASCADE,
	enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
	-- crypto_pwhash_str (argon2id) of the PIN; '' until one is set
	pin_hash TEXT NOT NULL DEFAULT '',
	max_messages INTEGER NOT NULL DEFAULT 100,
	max_minutes INTEGER NOT NULL DEFAULT 30,
	-- where new messages are announced; '' for nobody
	email TEXT NOT NULL DEFAULT '',
	-- 1: the WAV is attached to the email; 0: a link only
	email_attach INTEGER NOT NULL DEFAULT 1 CHECK (email_attach IN (0, 1))
) STRICT;

CREATE INDEX vm_boxes_tenant ON vm_boxes (tenant_id);

-- Every extension has a mailbox: the ones there are now, and each one
-- added later (so db_ext_add needs to know nothing of voicemail).
INSERT INTO vm_boxes (ext_id, tenant_id) SELECT id, tenant_id FROM extensions;
CREATE TRIGGER extensions_vm_box AFTER INSERT ON extensions
BEGIN
	INSERT INTO vm_boxes (ext_id, tenant_id) VALUES (NEW.id, NEW.tenant_id);
END;

CREATE TABLE vm_messages (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL
		REFERENCES tenants(id) ON DELETE CASCADE,
	ext_id INTEGER NOT NULL
		REFERENCES extensions(id) ON DELETE CASCADE,
	folder TEXT NOT NULL CHECK (folder IN ('new', 'saved')),
	caller TEXT NOT NULL DEFAULT '',
	caller_name TEXT NOT NULL DEFAULT '',
	received_at INTEGER NOT NULL,	-- seconds since the epoch
	duration_ms INTEGER NOT NULL,
	-- relative to the spool folder; one row per file
	file TEXT NOT NULL UNIQUE,
	-- 1: the file was not there when the spool was reconciled (or a
	-- delete was cut short); such a row is listed but not playable
	flagged_missing INTEGER NOT NULL DEFAULT 0
		CHECK (flagged_missing IN (0, 1))
) STRICT;

-- A box's folder, newest first: the listing, the counts and the quota.
CREATE INDEX vm_messages_box ON vm_messages (ext_id, folder, received_at);
-- The cascade from tenants.
CREATE INDEX vm_messages_tenant ON vm_messages (tenant_id);
