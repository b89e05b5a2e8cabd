-- 0011_vm_mail.sql - the voicemail email queue: one row per message whose
-- mailbox has an email address, inserted in the same transaction as the
-- message's row (db_vm_msg_add), so that a crash can never leave a message
-- whose mail is forgotten. The daemon's mail thread (pbx/vm/vm_mail.c)
-- deletes a row once the mail is sent or given up; a message deleted
-- before that takes its row with it.

CREATE TABLE vm_mail_queue (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL
		REFERENCES tenants(id) ON DELETE CASCADE,
	msg_id INTEGER NOT NULL UNIQUE
		REFERENCES vm_messages(id) ON DELETE CASCADE,
	-- the box's address and attach setting when the message was left
	rcpt TEXT NOT NULL,
	attach INTEGER NOT NULL CHECK (attach IN (0, 1)),
	attempts INTEGER NOT NULL DEFAULT 0,
	next_at INTEGER NOT NULL,	-- seconds since the epoch: try then
	last_error TEXT NOT NULL DEFAULT '',
	created INTEGER NOT NULL	-- seconds since the epoch
) STRICT;

-- The sender's "what is due" and "when is the next one".
CREATE INDEX vm_mail_queue_due ON vm_mail_queue (next_at);
-- The cascade from tenants.
CREATE INDEX vm_mail_queue_tenant ON vm_mail_queue (tenant_id);
