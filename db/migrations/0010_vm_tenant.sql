-- 0010_vm_tenant.sql - voicemail settings per tenant, and the feature codes
-- that reach the mailbox menu.
--
-- The limits are checked in C (db_vm_tenant_set) as the other enumerated
-- settings are, so a new range needs no table rebuild.

-- Longest message, in seconds; a caller is cut off there.
ALTER TABLE tenants ADD COLUMN vm_max_message_s INTEGER NOT NULL DEFAULT 180;
-- Seconds of silence that end a message; 0: no silence limit.
ALTER TABLE tenants ADD COLUMN vm_silence_s INTEGER NOT NULL DEFAULT 6;
-- 1: a mailbox's owner calling from their own phone (digest-authenticated
-- as that extension) is let in without the PIN; 0: the PIN is always asked.
ALTER TABLE tenants ADD COLUMN vm_own_phone_nopin INTEGER NOT NULL DEFAULT 0;

-- The feature codes are ordinary routes, so an admin can see, move or
-- delete them like any other: *97 one's own mailbox, *98 any mailbox of the
-- tenant by number. Priority 50 puts them before routes added with the
-- default priority (100).
INSERT OR IGNORE INTO routes (tenant_id, priority, pattern, app, args)
	SELECT id, 50, '*97', 'mailbox', '' FROM tenants;
INSERT OR IGNORE INTO routes (tenant_id, priority, pattern, app, args)
	SELECT id, 50, '*98', 'mailbox', 'any' FROM tenants;
CREATE TRIGGER tenants_vm_codes AFTER INSERT ON tenants
BEGIN
	INSERT INTO routes (tenant_id, priority, pattern, app, args)
		VALUES (NEW.id, 50, '*97', 'mailbox', ''),
		       (NEW.id, 50, '*98', 'mailbox', 'any');
END;
