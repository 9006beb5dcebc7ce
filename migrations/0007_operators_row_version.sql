-- Operators get the same per-row provenance as the other importable tables (0003): every
-- update bumps `version` and, unless the writer names a new import, clears `last_import_id`,
-- so an identities import tells a row changed through the API (role change, suspend) from
-- one it wrote. The tenant_state watermark already moves with operators (0003).
CREATE TRIGGER operators_row_version BEFORE UPDATE ON operators FOR EACH ROW EXECUTE FUNCTION bump_row_version();
