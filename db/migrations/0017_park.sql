-- 0017_park.sql - call park, per tenant: the number a phone transfers a
-- call to in order to park it, the slots parked calls wait in (dialling
-- a slot retrieves its call), and how long a call waits before the PBX
-- rings the one who parked it (docs/park.md).
--
-- Columns of tenants rather than a table of their own: every tenant has
-- exactly one setting, new tenants get the defaults with no trigger, and
-- deleting a tenant takes them along. park_number '' means nobody can
-- park by transfer; park_first 0 means the tenant has no slots (both are
-- how a tenant whose numbers clash with the defaults comes out of this
-- migration). The shape (a number, 1 to 100 slots, 5 to 3600 s) is
-- checked in C (db_park_check), as the other enumerations are since 0005.

ALTER TABLE tenants ADD COLUMN park_number TEXT NOT NULL DEFAULT '70';
ALTER TABLE tenants ADD COLUMN park_first INTEGER NOT NULL DEFAULT 71;
ALTER TABLE tenants ADD COLUMN park_last INTEGER NOT NULL DEFAULT 79;
ALTER TABLE tenants ADD COLUMN park_timeout INTEGER NOT NULL DEFAULT 60;

-- A tenant that already uses 70..79 for something keeps it: parking is
-- off there until an admin picks free numbers (ondoctl park set).
UPDATE tenants SET park_number = '', park_first = 0, park_last = 0
WHERE EXISTS (SELECT 1 FROM extensions e WHERE e.tenant_id = tenants.id
	      AND e.number IN ('70','71','72','73','74','75','76','77',
			       '78','79'))
   OR EXISTS (SELECT 1 FROM rooms r WHERE r.tenant_id = tenants.id
	      AND r.number IN ('70','71','72','73','74','75','76','77',
			       '78','79'))
   OR EXISTS (SELECT 1 FROM ringgroups g WHERE g.tenant_id = tenants.id
	      AND g.number IN ('70','71','72','73','74','75','76','77',
			       '78','79'));

-- A number is one thing only: no extension, room or ring group may take
-- the park number or a slot (db_park_set refuses the other way round).
-- db_fail maps these RAISEs to -EEXIST.
CREATE TRIGGER ext_not_park BEFORE INSERT ON extensions
WHEN EXISTS (SELECT 1 FROM tenants t WHERE t.id = NEW.tenant_id
	     AND (NEW.number = t.park_number
		  OR (t.park_first > 0 AND NEW.number NOT GLOB '*[^0-9]*'
		      AND NEW.number NOT GLOB '0*' AND length(NEW.number) < 10
		      AND CAST(NEW.number AS INTEGER)
			  BETWEEN t.park_first AND t.park_last)))
BEGIN
	SELECT RAISE(ABORT, 'number is the park number or a park slot');
END;
CREATE TRIGGER room_not_park BEFORE INSERT ON rooms
WHEN EXISTS (SELECT 1 FROM tenants t WHERE t.id = NEW.tenant_id
	     AND (NEW.number = t.park_number
		  OR (t.park_first > 0 AND NEW.number NOT GLOB '*[^0-9]*'
		      AND NEW.number NOT GLOB '0*' AND length(NEW.number) < 10
		      AND CAST(NEW.number AS INTEGER)
			  BETWEEN t.park_first AND t.park_last)))
BEGIN
	SELECT RAISE(ABORT, 'number is the park number or a park slot');
END;
CREATE TRIGGER ringgroup_not_park BEFORE INSERT ON ringgroups
WHEN EXISTS (SELECT 1 FROM tenants t WHERE t.id = NEW.tenant_id
	     AND (NEW.number = t.park_number
		  OR (t.park_first > 0 AND NEW.number NOT GLOB '*[^0-9]*'
		      AND NEW.number NOT GLOB '0*' AND length(NEW.number) < 10
		      AND CAST(NEW.number AS INTEGER)
			  BETWEEN t.park_first AND t.park_last)))
BEGIN
	SELECT RAISE(ABORT, 'number is the park number or a park slot');
END;
