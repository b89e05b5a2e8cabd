-- 0005_tenant_codecs.sql - each tenant's codec preference: the codecs its
-- calls may use, most preferred first, as a comma-separated list of SDP
-- names (G722, PCMU, PCMA). Checked by db_valid_codecs() rather than a
-- CHECK, so that a new codec needs no table rebuild.
ALTER TABLE tenants ADD COLUMN codecs TEXT NOT NULL DEFAULT 'G722,PCMU,PCMA';
