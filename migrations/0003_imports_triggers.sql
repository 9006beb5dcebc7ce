-- The state watermark (tenant_state) moves with every statement that changes an import
-- kind's rows, whoever writes them: imports, API routes, anything. And every update of an
-- importable row bumps its `version` and, unless the writer names a new import, clears
-- `last_import_id` (so revert can tell that a later change touched it).
CREATE OR REPLACE FUNCTION bump_tenant_state() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    INSERT INTO tenant_state (tenant_id, kind, version, updated_at)
      SELECT DISTINCT tenant_id, TG_ARGV[0], 1, now() FROM old_rows
      ON CONFLICT (tenant_id, kind) DO UPDATE SET version = tenant_state.version + 1, updated_at = now();
  ELSE
    INSERT INTO tenant_state (tenant_id, kind, version, updated_at)
      SELECT DISTINCT tenant_id, TG_ARGV[0], 1, now() FROM new_rows
      ON CONFLICT (tenant_id, kind) DO UPDATE SET version = tenant_state.version + 1, updated_at = now();
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION bump_row_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.version := OLD.version + 1;
  IF NEW.last_import_id IS NOT DISTINCT FROM OLD.last_import_id THEN
    NEW.last_import_id := NULL;
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER operators_state_insert AFTER INSERT ON operators REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_tenant_state('identities');
--> statement-breakpoint
CREATE TRIGGER operators_state_update AFTER UPDATE ON operators REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_tenant_state('identities');
--> statement-breakpoint
CREATE TRIGGER operators_state_delete AFTER DELETE ON operators REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_tenant_state('identities');
--> statement-breakpoint
CREATE TRIGGER runbooks_state_insert AFTER INSERT ON runbooks REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_tenant_state('runbooks');
--> statement-breakpoint
CREATE TRIGGER runbooks_state_update AFTER UPDATE ON runbooks REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_tenant_state('runbooks');
--> statement-breakpoint
CREATE TRIGGER runbooks_state_delete AFTER DELETE ON runbooks REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_tenant_state('runbooks');
--> statement-breakpoint
CREATE TRIGGER incidents_state_insert AFTER INSERT ON incidents REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_tenant_state('incidents');
--> statement-breakpoint
CREATE TRIGGER incidents_state_update AFTER UPDATE ON incidents REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_tenant_state('incidents');
--> statement-breakpoint
CREATE TRIGGER incidents_state_delete AFTER DELETE ON incidents REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_tenant_state('incidents');
--> statement-breakpoint
CREATE TRIGGER graph_entities_state_insert AFTER INSERT ON graph_entities REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_tenant_state('graph');
--> statement-breakpoint
CREATE TRIGGER graph_entities_state_update AFTER UPDATE ON graph_entities REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_tenant_state('graph');
--> statement-breakpoint
CREATE TRIGGER graph_entities_state_delete AFTER DELETE ON graph_entities REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_tenant_state('graph');
--> statement-breakpoint
CREATE TRIGGER graph_edges_state_insert AFTER INSERT ON graph_edges REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_tenant_state('graph');
--> statement-breakpoint
CREATE TRIGGER graph_edges_state_update AFTER UPDATE ON graph_edges REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_tenant_state('graph');
--> statement-breakpoint
CREATE TRIGGER graph_edges_state_delete AFTER DELETE ON graph_edges REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_tenant_state('graph');
--> statement-breakpoint
CREATE TRIGGER runbooks_row_version BEFORE UPDATE ON runbooks FOR EACH ROW EXECUTE FUNCTION bump_row_version();
--> statement-breakpoint
CREATE TRIGGER incidents_row_version BEFORE UPDATE ON incidents FOR EACH ROW EXECUTE FUNCTION bump_row_version();
--> statement-breakpoint
CREATE TRIGGER graph_entities_row_version BEFORE UPDATE ON graph_entities FOR EACH ROW EXECUTE FUNCTION bump_row_version();
--> statement-breakpoint
CREATE TRIGGER graph_edges_row_version BEFORE UPDATE ON graph_edges FOR EACH ROW EXECUTE FUNCTION bump_row_version();
