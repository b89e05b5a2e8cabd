-- 0014_messages.sql - SIP MESSAGEs between extensions of a tenant that
-- waited for their recipient: one row per message, written by the
-- database thread when the recipient had no registered phone, read and
-- sent by the SIP thread when it registers, deleted once a phone took it
-- (2xx). Rows older than a week are dropped (pbx/sip/sip_msg.c).

CREATE TABLE sip_messages (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL
		REFERENCES tenants(id) ON DELETE CASCADE,
	to_ext TEXT NOT NULL,
	from_ext TEXT NOT NULL,
	from_name TEXT NOT NULL DEFAULT '',
	content_type TEXT NOT NULL,
	body TEXT NOT NULL,
	created INTEGER NOT NULL	-- seconds since the epoch
) STRICT;
CREATE INDEX sip_messages_to ON sip_messages (tenant_id, to_ext, id);
CREATE INDEX sip_messages_created ON sip_messages (created);
